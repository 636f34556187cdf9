package dev.tally.domain.credit;

import dev.tally.domain.DomainException;
import java.util.Locale;

/** The kinds of credit ledger entry and the sign each carries (R30). */
public enum CreditType {
    /** Credits bought; positive. */
    PURCHASE(Sign.POSITIVE),
    /** Credits given; positive. */
    GRANT(Sign.POSITIVE),
    /** Credits spent on an operation; negative. */
    USAGE(Sign.NEGATIVE),
    /** Credits given back for one usage entry; positive. */
    REFUND(Sign.POSITIVE),
    /** A correction with a reason; either sign, never zero. */
    ADJUSTMENT(Sign.EITHER),
    /** Credits that lapsed; negative. */
    EXPIRY(Sign.NEGATIVE);

    private enum Sign { POSITIVE, NEGATIVE, EITHER }

    private final Sign sign;

    CreditType(Sign sign) {
        this.sign = sign;
    }

    /** Refuses an amount whose sign does not fit this type. */
    public void checkSign(long amount) {
        boolean fits = switch (sign) {
            case POSITIVE -> amount > 0;
            case NEGATIVE -> amount < 0;
            case EITHER -> amount != 0;
        };
        if (!fits) {
            throw DomainException.invalid("invalid_amount",
                    wireName() + " amount must be " + sign.name().toLowerCase(Locale.ROOT) + (sign == Sign.EITHER ? " and not zero" : "")
                            + ": " + amount);
        }
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CreditType fromWireName(String name) {
        for (CreditType type : values()) {
            if (type.wireName().equals(name)) {
                return type;
            }
        }
        throw DomainException.invalid("invalid_credit_type", "unknown credit transaction type: " + name);
    }
}
