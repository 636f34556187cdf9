package dev.tally.domain.event;

import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened to a user's usage, runs or credits, stored in the same transaction as
 * the write that caused it, immutable and kept (R75); delivered to webhook endpoints (R76) and
 * to in-process listeners (R78).
 *
 * @param id        unique, {@code evt_…}; receivers dedupe by it
 * @param data      the event's details as a JSON object text ({@link EventData})
 */
public record Event(String id, EventType type, Instant createdAt, UserId user, String data) {

    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(data, "data");
    }

    /**
     * The event as receivers get it (R76): {@code {"id", "type", "created_at", "user_id", "data"}}.
     */
    public String json() {
        return EventData.object()
                .put("id", id)
                .put("type", type.wireName())
                .put("created_at", createdAt.toString())
                .put("user_id", user.value())
                .putJson("data", data)
                .json();
    }

    /**
     * A write took {@code metric}'s used from below {@code thresholdPercent} of {@code limit} to at
     * or above it in {@code period}; at most one per (user, metric, period, threshold), which
     * {@link #thresholdKey} names. For an allocation (R72) {@code period} is null: it has none, and
     * {@link #allocationThresholdKey} names its once-key.
     */
    public static Event thresholdReached(String id, Instant at, UserId user, MetricKey metric, int thresholdPercent,
                                         BigDecimal used, BigDecimal limit, BillingPeriod period) {
        return new Event(id, EventType.USAGE_THRESHOLD_REACHED, at, user, EventData.object()
                .put("metric", metric.value())
                .put("threshold_percent", thresholdPercent)
                .put("used", used)
                .put("limit", limit)
                .putJson("period", period(period))
                .json());
    }

    /** The once-key of a threshold of a metric in a period: the same crossing is never told twice. */
    public static String thresholdKey(MetricKey metric, BillingPeriod period, int thresholdPercent) {
        return EventType.USAGE_THRESHOLD_REACHED.wireName() + ":" + metric.value() + ":" + period.start() + ":"
                + period.end() + ":" + thresholdPercent;
    }

    /**
     * The once-key of a threshold of an allocation under one limit: an allocation has no period, so
     * the crossing is told once per (user, allocation, limit, threshold); a fall and a rise again
     * under the same limit are not told again, a plan change to another limit is.
     */
    public static String allocationThresholdKey(MetricKey allocation, BigDecimal limit, int thresholdPercent) {
        return EventType.USAGE_THRESHOLD_REACHED.wireName() + "/allocation:" + allocation.value() + ":"
                + limit.stripTrailingZeros().toPlainString() + ":" + thresholdPercent;
    }

    /**
     * An enforced write of {@code metric} was refused, the first time in {@code period}; for an
     * allocation (R72), whose {@code period} is null, the first time at all.
     */
    public static Event limitDenied(String id, Instant at, UserId user, MetricKey metric, BigDecimal used,
                                    BigDecimal reserved, BigDecimal requested, BigDecimal limit, BillingPeriod period) {
        return new Event(id, EventType.USAGE_LIMIT_DENIED, at, user, EventData.object()
                .put("metric", metric.value())
                .put("used", used)
                .put("reserved", reserved)
                .put("requested", requested)
                .put("limit", limit)
                .putJson("period", period(period))
                .json());
    }

    /** The once-key of the denials of a metric in a period. */
    public static String deniedKey(MetricKey metric, BillingPeriod period) {
        return EventType.USAGE_LIMIT_DENIED.wireName() + ":" + metric.value() + ":" + period.start() + ":"
                + period.end();
    }

    /**
     * An enforced write of {@code metric} was refused by its rate limit (R90, R91), the first time
     * in the minute starting at {@code minute}: later refusals of that minute are not told.
     */
    public static Event rateLimited(String id, Instant at, UserId user, MetricKey metric, long limit, int perSeconds,
                                    long burst, Long retryAfterMs, Instant minute) {
        EventData data = EventData.object()
                .put("metric", metric.value())
                .put("limit", limit)
                .put("per_seconds", perSeconds)
                .put("burst", burst);
        if (retryAfterMs != null) {
            data = data.put("retry_after_ms", retryAfterMs.longValue());
        }
        return new Event(id, EventType.USAGE_RATE_LIMITED, at, user, data.put("minute", minute.toString()).json());
    }

    /** The once-key of the rate refusals of a metric in the minute starting at {@code minute}. */
    public static String rateLimitedKey(MetricKey metric, Instant minute) {
        return EventType.USAGE_RATE_LIMITED.wireName() + ":" + metric.value() + ":" + minute;
    }

    /** The once-key of the denials of an allocation, which has no period: its first denial is told. */
    public static String allocationDeniedKey(MetricKey allocation) {
        return EventType.USAGE_LIMIT_DENIED.wireName() + "/allocation:" + allocation.value();
    }

    /** A run ended (R75): completed by its caller or timed out; once per run. */
    public static Event runCompleted(String id, Instant at, UserId user, String runId, String status,
                                     BigDecimal costUsd, String errorCode) {
        return new Event(id, EventType.RUN_COMPLETED, at, user, EventData.object()
                .put("run_id", runId)
                .put("status", status)
                .put("cost_usd", costUsd)
                .put("error_code", errorCode)
                .json());
    }

    /** The once-key of a run's completion. */
    public static String runKey(String runId) {
        return EventType.RUN_COMPLETED.wireName() + ":" + runId;
    }

    /**
     * A credit entry took the balance from above {@code lowBalanceCredits} to at or below it (R75):
     * once per such entry, so again only after the balance has risen above the mark.
     */
    public static Event balanceLow(String id, Instant at, UserId user, long balance, long lowBalanceCredits,
                                   String transactionId) {
        return new Event(id, EventType.CREDITS_BALANCE_LOW, at, user, EventData.object()
                .put("balance", balance)
                .put("low_balance_credits", lowBalanceCredits)
                .put("transaction_id", transactionId)
                .json());
    }

    /** A grant's remainder lapsed at its expiry and was written off by {@code expiry} (R36). */
    public static Event creditsExpired(String id, Instant at, UserId user, String grantId, long credits,
                                       Instant expiredAt, String transactionId) {
        return new Event(id, EventType.CREDITS_EXPIRED, at, user, EventData.object()
                .put("grant_id", grantId)
                .put("credits", credits)
                .put("expired_at", expiredAt.toString())
                .put("transaction_id", transactionId)
                .json());
    }

    /** The once-key of a grant's expiry: one event per grant (R36). */
    public static String expiredKey(String grantId) {
        return EventType.CREDITS_EXPIRED.wireName() + ":" + grantId;
    }

    /** The once-key of the credit entry that took a balance low. */
    public static String balanceLowKey(String transactionId) {
        return EventType.CREDITS_BALANCE_LOW.wireName() + ":" + transactionId;
    }

    /**
     * More events of {@code type} were caused for {@code user} between {@code windowStart} and
     * {@code windowEnd} than {@code limit}: the ones past it were not recorded one by one, and
     * this one event stands for them all (R67).
     */
    public static Event coalesced(String id, Instant at, UserId user, EventType type, int limit, Instant windowStart,
                                  Instant windowEnd) {
        return new Event(id, EventType.EVENTS_COALESCED, at, user, EventData.object()
                .put("type", type.wireName())
                .put("limit", limit)
                .put("window_start", windowStart.toString())
                .put("window_end", windowEnd.toString())
                .json());
    }

    /** The once-key of the coalesced events of {@code type} in the window starting at {@code windowStart}. */
    public static String coalescedKey(EventType type, Instant windowStart) {
        return EventType.EVENTS_COALESCED.wireName() + ":" + type.wireName() + ":" + windowStart;
    }

    private static String period(BillingPeriod period) {
        return period == null ? "null"
                : EventData.object().put("start", period.start().toString()).put("end", period.end().toString()).json();
    }
}
