package dev.tally.application.port;

import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.usage.RecordId;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One usage record as an export reads it (R94), with its void when it has one (R92).
 *
 * @param position   where the record is in the export's order (oldest first)
 * @param dimensions the record's dimensions as a JSON object of strings, keys sorted
 * @param voided     the record's void, if it was voided
 */
public record ExportRow(ExportPosition position, UserId user, IdempotencyKey key, MetricKey metric,
                        BigDecimal quantity, Instant occurredAt, String dimensions, Optional<Voided> voided) {

    public ExportRow {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(voided, "voided");
    }

    /** The record's id within its user. */
    public RecordId recordId() {
        return RecordId.of(key);
    }

    /**
     * A record's void (R92).
     *
     * @param reason   the operator's reason
     * @param voidedAt when it was voided
     */
    public record Voided(String reason, Instant voidedAt) {
    }
}
