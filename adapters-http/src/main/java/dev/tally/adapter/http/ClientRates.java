package dev.tally.adapter.http;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.TimeMeter;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The token buckets of {@link RateLimits} on this node (R67): one allowance per API key that has
 * authenticated here, one per client address for requests without a valid key. Buckets are
 * Bucket4j's, kept in memory and read from Tally's clock; each node bounds what reaches it.
 */
final class ClientRates {

    private static final Duration WINDOW = Duration.ofSeconds(1);
    /** Address allowances kept before idle ones (full again, so forgetting them changes nothing) are dropped. */
    private static final int ADDRESSES_BEFORE_SWEEP = 4096;

    private final RateLimits limits;
    private final TimeMeter time;
    /** By the hash of the key (as stored, R61); only keys that authenticated, so as many as there are keys. */
    private final ConcurrentMap<String, Allowance> keys = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Allowance> addresses = new ConcurrentHashMap<>();
    private final AtomicInteger sweepAbove = new AtomicInteger(ADDRESSES_BEFORE_SWEEP);

    ClientRates(RateLimits limits, Clock clock) {
        this.limits = limits;
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                Instant now = clock.instant();
                return now.getEpochSecond() * 1_000_000_000L + now.getNano();
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
    }

    /**
     * The allowance of a key with this hash that authenticated on this node and has not failed
     * since: such a key is looked up without spending its address's allowance, so a flood of unknown
     * keys from the same address cannot lock it out.
     */
    Optional<Allowance> known(String keyHash) {
        return Optional.ofNullable(keys.get(keyHash));
    }

    /** A known key that no longer authenticates (revoked): from now on it counts as no key. */
    void forget(String keyHash) {
        keys.remove(keyHash);
    }

    /** The allowance of the key with this hash, which has just authenticated. */
    Allowance key(String keyHash, boolean admin) {
        return keys.computeIfAbsent(keyHash, ignored -> admin
                ? new Allowance("admin key", bucket(limits.adminKeyRequests()), bucket(limits.adminKeyRecords()))
                : new Allowance("key", bucket(limits.userKeyRequests()), bucket(limits.userKeyRecords())));
    }

    /** The allowance of a client address, for whatever it sends without a valid key. */
    Allowance address(String address) {
        Allowance allowance = addresses.get(address);
        if (allowance != null) {
            return allowance;
        }
        sweepIdleAddresses();
        return addresses.computeIfAbsent(address,
                ignored -> new Allowance("address", bucket(limits.addressRequests()), Optional.empty()));
    }

    /**
     * Drops the allowances of addresses whose buckets are full again: one made anew is the same. The
     * next sweep waits until the map has doubled, so sweeping costs O(1) per new address.
     */
    private void sweepIdleAddresses() {
        int above = sweepAbove.get();
        if (addresses.size() < above || !sweepAbove.compareAndSet(above, Integer.MAX_VALUE)) {
            return;
        }
        addresses.values().removeIf(Allowance::idle);
        sweepAbove.set(Math.max(ADDRESSES_BEFORE_SWEEP, addresses.size() * 2));
    }

    /** How many address allowances are held now. */
    int addressesHeld() {
        return addresses.size();
    }

    private Optional<Limited> bucket(int perSecond) {
        if (perSecond == 0) {
            return Optional.empty();
        }
        Bucket bucket = Bucket.builder()
                .addLimit(limit -> limit.capacity(perSecond).refillGreedy(perSecond, WINDOW))
                .withCustomTimePrecision(time)
                .build();
        return Optional.of(new Limited(bucket, perSecond));
    }

    private record Limited(Bucket bucket, int perSecond) {
    }

    /** What one key or address may still send: requests, and for keys, usage records. */
    static final class Allowance {

        private final String holder;
        private final Optional<Limited> requests;
        private final Optional<Limited> records;

        private Allowance(String holder, Optional<Limited> requests, Optional<Limited> records) {
            this.holder = holder;
            this.requests = requests;
            this.records = records;
        }

        /** Spends one request, answering its RateLimit headers, or refuses it with 429. */
        void request(Context ctx) {
            requests.ifPresent(limited -> spend(ctx, limited, 1, "requests"));
        }

        /**
         * Refuses with 429 a batch that could not fit at all, before its body is read: a key that has
         * spent its records costs no parsing until its allowance refills.
         */
        void requireRecords(Context ctx) {
            records.ifPresent(limited -> {
                EstimationProbe probe = limited.bucket().estimateAbilityToConsume(1);
                if (!probe.canBeConsumed()) {
                    // Empty: whole again one window from now.
                    headers(ctx, limited, 0, WINDOW.toNanos());
                    throw refusal(ctx, limited, "records", probe.getNanosToWaitForRefill());
                }
            });
        }

        /** Spends {@code count} usage records, or refuses the batch with 429 before anything is recorded. */
        void records(Context ctx, int count) {
            records.ifPresent(limited -> spend(ctx, limited, count, "records"));
        }

        private boolean idle() {
            return requests.map(limited -> limited.bucket().getAvailableTokens() >= limited.perSecond()).orElse(true);
        }

        private void spend(Context ctx, Limited limited, int count, String what) {
            ConsumptionProbe probe = limited.bucket().tryConsumeAndReturnRemaining(count);
            headers(ctx, limited, probe.getRemainingTokens(), probe.getNanosToWaitForReset());
            if (!probe.isConsumed()) {
                throw refusal(ctx, limited, what, probe.getNanosToWaitForRefill());
            }
        }

        /** The IETF draft's headers: the rate, what is left of it, and seconds until it is whole again. */
        private static void headers(Context ctx, Limited limited, long remaining, long nanosToReset) {
            ctx.header("RateLimit-Limit", Integer.toString(limited.perSecond()));
            ctx.header("RateLimit-Remaining", Long.toString(remaining));
            ctx.header("RateLimit-Reset", Long.toString(wholeSeconds(nanosToReset)));
        }

        private ApiException refusal(Context ctx, Limited limited, String what, long nanosToWait) {
            long retryAfter = Math.max(1, wholeSeconds(nanosToWait));
            ctx.header("Retry-After", Long.toString(retryAfter));
            return new ApiException(429, "rate_limited", "This " + holder + " may send " + limited.perSecond()
                    + " " + what + " a second; retry after " + retryAfter + " s.",
                    Map.of("rate", holder.replace(' ', '_') + "_" + what, "limit", limited.perSecond(),
                            "per_seconds", 1, "retry_after_ms", (nanosToWait + 999_999) / 1_000_000));
        }

        private static long wholeSeconds(long nanos) {
            return (nanos + 999_999_999) / 1_000_000_000;
        }
    }
}
