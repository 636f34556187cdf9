package dev.tally.application.port;

import dev.tally.application.port.AuditEntry;
import java.util.List;
import java.util.Optional;

/**
 * The audit log (R93): append-only. There is no way to change or remove an entry through this
 * port, and no adapter offers one.
 */
public interface AuditLog {

    /** Appends {@code entry} (its id is ignored) and answers it with the id the log gave it. */
    AuditEntry append(AuditEntry entry);

    /**
     * Up to {@code limit} entries with an id below {@code before}, newest first, of {@code target}
     * and of {@code action} when given.
     */
    List<AuditEntry> page(Optional<String> target, Optional<String> action, long before, int limit);
}
