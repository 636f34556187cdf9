package dev.tally.application.memory;

import dev.tally.application.port.AuditEntry;
import dev.tally.application.port.AuditLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The audit log in memory: one list in append order, numbered from 1. */
public final class InMemoryAuditLog implements AuditLog {

    private final List<AuditEntry> entries = new ArrayList<>();

    @Override
    public synchronized AuditEntry append(AuditEntry entry) {
        AuditEntry numbered = entry.numbered(entries.size() + 1L);
        entries.add(numbered);
        return numbered;
    }

    @Override
    public synchronized List<AuditEntry> page(Optional<String> target, Optional<String> action, long before,
                                              int limit) {
        List<AuditEntry> page = new ArrayList<>();
        for (int i = (int) Math.min(before - 1, entries.size()) - 1; i >= 0 && page.size() < limit; i--) {
            AuditEntry entry = entries.get(i);
            if (target.map(entry.target()::equals).orElse(true) && action.map(entry.action()::equals).orElse(true)) {
                page.add(entry);
            }
        }
        return page;
    }
}
