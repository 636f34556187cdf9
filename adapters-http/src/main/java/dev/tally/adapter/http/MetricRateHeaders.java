package dev.tally.adapter.http;

import dev.tally.domain.rate.RateDecision;
import dev.tally.domain.plan.RateLimited;
import io.javalin.http.Context;
import java.util.Collection;
import java.util.Comparator;

/**
 * The {@code RateLimit-Limit}, {@code RateLimit-Remaining} and {@code RateLimit-Reset} headers of
 * a plan's rate limits (R91) on entitlement checks and enforced writes: of the tightest rate that
 * applies, the one with the fewest cells left. The per-key request rate ({@link ClientRates}) sets
 * the same headers before the route runs; a plan's rate replaces them when it has no more left
 * than the key's, so a client always sees the bound it will meet first.
 */
final class MetricRateHeaders {

    private MetricRateHeaders() {
    }

    /** The headers of the tightest of {@code rates}, if any. */
    static void tightest(Context ctx, Collection<RateDecision.Standing> rates) {
        rates.stream().min(Comparator.comparingLong(RateDecision.Standing::remaining))
                .ifPresent(standing -> set(ctx, standing.rate().limit(), standing.remaining(), standing.resetNanos()));
    }

    /** A refusal's headers: {@code Retry-After} in whole seconds rounded up, and nothing left (R91). */
    static void refused(Context ctx, RateLimited limited) {
        RateDecision.Refused refused = limited.refused();
        refused.retryAfterSeconds().ifPresent(seconds -> ctx.header("Retry-After", Long.toString(seconds)));
        set(ctx, refused.rate().limit(), refused.remaining(), refused.retryAfterNanos().orElse(0L));
    }

    private static void set(Context ctx, long limit, long remaining, long resetNanos) {
        String keys = ctx.res().getHeader("RateLimit-Remaining");
        if (keys != null && parse(keys) < remaining) {
            return;
        }
        ctx.header("RateLimit-Limit", Long.toString(limit));
        ctx.header("RateLimit-Remaining", Long.toString(remaining));
        ctx.header("RateLimit-Reset", Long.toString((resetNanos + 999_999_999) / 1_000_000_000));
    }

    private static long parse(String header) {
        try {
            return Long.parseLong(header);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
