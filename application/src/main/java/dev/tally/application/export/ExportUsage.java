package dev.tally.application.export;

import dev.tally.application.port.ExportPosition;
import dev.tally.domain.DomainException;
import dev.tally.domain.user.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An export of usage records (R94): those of {@code user} (everyone's when empty) with
 * {@code from <= occurred_at < to}, after {@code after} when resuming. The range is at most
 * {@link #MAX_RANGE} long.
 */
public record ExportUsage(Optional<UserId> user, Instant from, Instant to, Optional<ExportPosition> after) {

    /** The longest range one export covers: ten years. */
    public static final Duration MAX_RANGE = Duration.ofDays(3653);

    public ExportUsage {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(after, "after");
        if (!from.isBefore(to)) {
            throw DomainException.invalid("invalid_range", "from must be before to");
        }
        if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
            throw DomainException.invalid("export_range_too_long", "an export covers at most ten years ("
                    + MAX_RANGE.toDays() + " days); export a longer range in parts");
        }
    }
}
