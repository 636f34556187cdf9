package dev.tally.application.audit;

import dev.tally.application.port.AuditEntry;
import java.util.List;
import java.util.OptionalLong;

/**
 * A page of the audit log, newest first (R93).
 *
 * @param entries the entries of the page
 * @param before  where the next page starts (the entries with a smaller id), empty on the last page
 */
public record AuditPage(List<AuditEntry> entries, OptionalLong before) {

    public AuditPage {
        entries = List.copyOf(entries);
    }
}
