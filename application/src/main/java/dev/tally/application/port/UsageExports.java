package dev.tally.application.port;

import dev.tally.application.port.ExportPosition;
import dev.tally.application.port.ExportRow;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reads usage records page by page for an export (R94), each page on its own, so that an export
 * of any length holds one page at a time.
 */
public interface UsageExports {

    /**
     * Up to {@code limit} records of {@code user} (of everyone when empty) with {@code from <=
     * occurred_at < to}, after {@code after} when given, in {@link ExportPosition} order, each with
     * its void if it has one.
     */
    List<ExportRow> exportPage(Optional<UserId> user, Instant from, Instant to, Optional<ExportPosition> after,
                               int limit);
}
