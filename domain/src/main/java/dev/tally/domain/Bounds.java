package dev.tally.domain;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The bounds of every value a client may send (R64), in one table: what the HTTP layer checks
 * first, what the domain's values refuse, and what the OpenAPI document declares.
 */
public final class Bounds {

    /** Digits a decimal may have on either side of the point as sent; storage keeps 24 and 6. */
    public static final int DECIMAL_DIGITS = 18;

    /** The largest quantity or price, either way: beyond it, sums could overflow storage. */
    public static final BigDecimal MAX_QUANTITY = BigDecimal.TEN.pow(15);

    /**
     * The most one request may add to a counter (tokens, commits, milliseconds, seconds): over nine
     * million such requests still sum within a 64-bit total.
     */
    public static final long MAX_COUNT = 1_000_000_000_000L;

    /** The most credits one grant or spend may move, either way: sums of them fit a balance. */
    public static final long MAX_CREDITS = 1_000_000_000_000L;

    /** The earliest instant a client may send: the years 1970–9999. */
    public static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

    /** The first instant refused as too late. */
    public static final Instant AFTER_LATEST = Instant.parse("+10000-01-01T00:00:00Z");

    private Bounds() {
    }
}
