package dev.tally.application.usage;

import dev.tally.domain.DomainException;
import dev.tally.domain.user.UserId;
import java.util.List;
import java.util.Objects;

/**
 * Record a batch of usage. With {@code enforce}, the whole batch is one atomic check-and-record:
 * granted or denied as one (R13).
 */
public record RecordUsage(UserId user, List<UsageItem> items, boolean enforce) {

    /** The most records one batch may carry. */
    public static final int MAX_BATCH = 1000;

    /** Checks the fields: none is null, each within the bounds its rule sets. */

    public RecordUsage {
        Objects.requireNonNull(user, "user");
        items = List.copyOf(items);
        if (items.isEmpty() || items.size() > MAX_BATCH) {
            throw DomainException.invalid("invalid_batch", "a batch carries 1-" + MAX_BATCH + " records");
        }
    }
}
