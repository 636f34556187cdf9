package dev.tally.adapter.http;

import dev.tally.application.usage.RecordUsage;

/**
 * How fast one client may call the API (R67), per second; {@code 0} is no bound. A request with a
 * valid API key counts against that key; every other request (the page, the document, health,
 * metrics, and a missing, unknown or revoked key) against its client address, so that no request
 * without a valid key can spend a key's allowance.
 *
 * <p>Each bound is a token bucket that holds one second of its rate and refills continuously; a
 * request beyond it is {@code 429 rate_limited} with {@code Retry-After}. A usage batch counts
 * once against the request rate and once per record against the record rate, which is 0 or at
 * least one largest batch (1 000 records), so that any valid batch fits once the bucket has refilled.
 *
 * @param userKeyRequests  requests per second of one user key (default 1 000)
 * @param userKeyRecords   usage records per second of one user key (default 1 000)
 * @param adminKeyRequests requests per second of one admin key (default 0: unbounded)
 * @param adminKeyRecords  usage records per second of one admin key (default 0: unbounded)
 * @param addressRequests  requests per second from one client address that carry no valid key, so
 *                         that floods of unknown keys cost at most this many key look-ups (default
 *                         100; behind a proxy that all clients share, raise it or {@code 0})
 */
public record RateLimits(int userKeyRequests, int userKeyRecords, int adminKeyRequests, int adminKeyRecords,
                         int addressRequests) {

    public static final int DEFAULT_USER_KEY_REQUESTS = 1000;
    public static final int DEFAULT_USER_KEY_RECORDS = 1000;
    public static final int DEFAULT_ADDRESS_REQUESTS = 100;

    /** The defaults above. */
    public static final RateLimits DEFAULTS = new RateLimits(DEFAULT_USER_KEY_REQUESTS, DEFAULT_USER_KEY_RECORDS,
            0, 0, DEFAULT_ADDRESS_REQUESTS);

    /** No bound at all: for benchmarks that measure what the server can do. */
    public static final RateLimits NONE = new RateLimits(0, 0, 0, 0, 0);

    public RateLimits {
        requireZeroOrMore(userKeyRequests, "userKeyRequests");
        requireRecordRate(userKeyRecords, "userKeyRecords");
        requireZeroOrMore(adminKeyRequests, "adminKeyRequests");
        requireRecordRate(adminKeyRecords, "adminKeyRecords");
        requireZeroOrMore(addressRequests, "addressRequests");
    }

    private static void requireRecordRate(int perSecond, String name) {
        if (perSecond != 0 && perSecond < RecordUsage.MAX_BATCH) {
            throw new IllegalArgumentException(name + " must be 0 (no bound) or at least " + RecordUsage.MAX_BATCH
                    + " (the largest batch) per second: " + perSecond);
        }
    }

    private static void requireZeroOrMore(int perSecond, String name) {
        if (perSecond < 0) {
            throw new IllegalArgumentException(name + " must be 0 (no bound) or more per second: " + perSecond);
        }
    }
}
