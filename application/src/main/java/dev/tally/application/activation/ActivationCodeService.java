package dev.tally.application.activation;

import dev.tally.application.idempotency.IdempotentWrites;
import dev.tally.application.port.ActivationCodeRepository;
import dev.tally.application.port.UseCaseMetrics;
import dev.tally.application.usage.Metering;
import dev.tally.application.usecase.Outcome;
import dev.tally.application.user.Accounts;
import dev.tally.domain.DomainException;
import dev.tally.domain.activation.ActivationCode;
import dev.tally.domain.activation.ActivationStats;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.usage.UsageRecord;
import dev.tally.domain.user.User;
import dev.tally.domain.user.UserId;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Activation codes (R45). Issuing counts one {@code activation_codes} in the period it happens
 * (atomically limited by the plan); each redemption counts one {@code activation_codes.redeemed}
 * in the period it happens, whenever its code was issued.
 */
public class ActivationCodeService {

    /** The metric of redemptions. */
    public static final MetricKey REDEEMED = MetricKey.ACTIVATION_CODES_REDEEMED;

    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

    private final ActivationCodeRepository codes;
    private final Metering metering;
    private final Accounts accounts;
    private final IdempotentWrites writes;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final UseCaseMetrics metrics;

    @Inject
    public ActivationCodeService(ActivationCodeRepository codes, Metering metering, Accounts accounts,
                                 IdempotentWrites writes, Clock clock, UseCaseMetrics metrics) {
        this.metrics = metrics;
        this.codes = codes;
        this.metering = metering;
        this.accounts = accounts;
        this.writes = writes;
        this.clock = clock;
    }

    /** Issues a code usable {@code maxUses} times, or refuses it at the plan's issuing limit. */
    public Outcome<ActivationCode> issue(IssueCode command) {
        return metrics.measure("activation_codes.issue", () -> issuing(command));
    }

    private Outcome<ActivationCode> issuing(IssueCode command) {
        UserId userId = command.user();
        return writes.execute(userId, command.idempotencyKey(), command.fingerprint(), () -> {
            Instant now = clock.instant();
            ActivationCode code = ActivationCode.issue(newCode(), userId, command.maxUses(), now);
            UsageRecord issued = new UsageRecord(userId, MetricKey.ACTIVATION_CODES, BigDecimal.ONE, now,
                    new IdempotencyKey("activation-code:" + code.code()), Map.of("code", code.code()));
            return metering.record(userId, List.of(issued), true).map(recorded -> {
                codes.insert(code);
                return code;
            });
        }, ActivationCode::code, this::get);
    }

    /**
     * Redeems a code once. {@code actingFor} is the user a caller may act for, or empty for an
     * admin; a code of another user is {@code 404}, like one that does not exist. A retry with the
     * same key is answered with the original use count and counted once (R20).
     */
    public ActivationCode redeem(RedeemCode command) {
        String code = command.code();
        ActivationCode found = get(code);
        if (command.actingFor().filter(user -> !user.equals(found.user())).isPresent()) {
            throw notFound(code);
        }
        return writes.executeAlways(found.user(), command.idempotencyKey(), command.fingerprint(), () -> {
            ActivationCode redeemed = redeemStored(code);
            User user = accounts.user(found.user());
            UsageRecord record = new UsageRecord(user.id(), REDEEMED, BigDecimal.ONE, clock.instant(),
                    new IdempotencyKey("redeem:" + code + ":" + redeemed.useCount()), Map.of("code", code));
            metering.recordUsed(user, record);
            return redeemed;
        }, redeemed -> Integer.toString(redeemed.useCount()), useCount -> new ActivationCode(found.code(),
                found.user(), found.maxUses(), Integer.parseInt(useCount), found.createdAt()));
    }

    /**
     * Lets the domain redeem the stored code and stores what it returns, only over the use count it
     * was computed from. A redemption that lost a race to another reads the code again, so it is
     * refused only when the code is used up ({@code 409 activation_code_used_up}, R45). Each lost
     * race means another use was stored, so this ends within the code's {@code max_uses} rounds.
     */
    private ActivationCode redeemStored(String code) {
        while (true) {
            ActivationCode stored = get(code);
            ActivationCode redeemed = stored.redeem();
            if (codes.replace(redeemed, stored.useCount())) {
                return redeemed;
            }
        }
    }

    /** The code, or {@code 404 activation_code_not_found}. */
    public ActivationCode get(String code) {
        return codes.find(code).orElseThrow(() -> notFound(code));
    }

    /** Codes issued and redeemed in {@code period}, and the issuing limit (R45). */
    public ActivationStats stats(User user, Plan plan, BillingPeriod period) {
        return new ActivationStats(
                metering.totals(user.id(), MetricKey.ACTIVATION_CODES, period).used().longValueExact(),
                metering.totals(user.id(), REDEEMED, period).used().longValueExact(),
                plan.limitOf(MetricKey.ACTIVATION_CODES).max());
    }

    private String newCode() {
        StringBuilder code = new StringBuilder("TLY-");
        for (int i = 0; i < 12; i++) {
            if (i > 0 && i % 4 == 0) {
                code.append('-');
            }
            code.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return code.toString();
    }

    private static DomainException notFound(String code) {
        return DomainException.notFound("activation_code_not_found", "no activation code " + code);
    }
}
