package dev.tally.application.usecase;

import dev.tally.domain.DomainException;

/** A page request: {@code limit} 1–100 and a non-negative {@code offset}. */
public record Paging(int limit, int offset) {

    public static final int MAX_LIMIT = 100;
    public static final int DEFAULT_LIMIT = 20;

    public Paging {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw DomainException.invalid("invalid_paging", "limit must be 1-" + MAX_LIMIT + ": " + limit);
        }
        if (offset < 0) {
            throw DomainException.invalid("invalid_paging", "offset cannot be negative: " + offset);
        }
    }

    public static Paging first() {
        return new Paging(DEFAULT_LIMIT, 0);
    }
}
