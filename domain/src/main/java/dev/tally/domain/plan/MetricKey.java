package dev.tally.domain.plan;

import dev.tally.domain.DomainException;
import dev.tally.domain.Money;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * What is counted: {@code runs}, {@code sessions}, {@code session_minutes}, {@code credits},
 * {@code activation_codes}, {@code api_calls.<call_type>}, {@code cost_usd}, or any operator key
 * matching {@code [a-z][a-z0-9_.]{0,62}} (R22).
 */
public record MetricKey(String value) implements Comparable<MetricKey> {

    private static final Pattern FORMAT = Pattern.compile("[a-z][a-z0-9_.]{0,62}");

    public static final MetricKey RUNS = new MetricKey("runs");
    public static final MetricKey SESSIONS = new MetricKey("sessions");
    public static final MetricKey SESSION_MINUTES = new MetricKey("session_minutes");
    public static final MetricKey CREDITS = new MetricKey("credits");
    public static final MetricKey ACTIVATION_CODES = new MetricKey("activation_codes");
    /** Redemptions of activation codes (R45). */
    public static final MetricKey ACTIVATION_CODES_REDEEMED = new MetricKey("activation_codes.redeemed");
    public static final MetricKey COST_USD = new MetricKey("cost_usd");

    public MetricKey {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw DomainException.invalid("invalid_metric",
                    "metric must match [a-z][a-z0-9_.]{0,62}: " + value);
        }
    }

    /** The per-call-type metric {@code api_calls.<callType>} (R43). */
    public static MetricKey apiCalls(String callType) {
        return new MetricKey("api_calls." + callType);
    }

    /**
     * Whether the metric counts whole things: Tally's own counted metrics ({@code runs},
     * {@code sessions}, {@code session_minutes}, {@code credits}, {@code activation_codes} and its
     * sub-metrics, {@code api_calls.*}). Their quantities must be whole numbers; operator metrics
     * and {@code cost_usd} may carry up to six decimals.
     */
    public boolean countsWholeUnits() {
        return this.equals(RUNS) || this.equals(SESSIONS) || this.equals(SESSION_MINUTES) || this.equals(CREDITS)
                || this.equals(ACTIVATION_CODES) || value.startsWith(ACTIVATION_CODES.value + ".")
                || value.startsWith("api_calls.");
    }

    /**
     * Whether {@code quantity} is in this metric's unit (R22): any decimal, or only a whole number
     * when the metric {@linkplain #countsWholeUnits() counts whole units}. The one place the rule
     * is stated; the HTTP layer asks it to name the offending field.
     */
    public boolean inUnits(BigDecimal quantity) {
        return !countsWholeUnits() || quantity.stripTrailingZeros().scale() <= 0;
    }

    /**
     * {@code quantity} as a quantity of this metric (R22): positive, at most six decimals, and whole
     * when the metric {@linkplain #countsWholeUnits() counts whole units}; else
     * {@code invalid_quantity}.
     */
    public BigDecimal quantity(BigDecimal quantity) {
        BigDecimal checked = Money.quantity(quantity, "quantity");
        if (checked.signum() <= 0) {
            throw DomainException.invalid("invalid_quantity", "quantity must be positive: " + checked.toPlainString());
        }
        if (!inUnits(checked)) {
            throw DomainException.invalid("invalid_quantity", this + " counts whole units, not " + checked.toPlainString());
        }
        return checked;
    }

    @Override
    public int compareTo(MetricKey other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
