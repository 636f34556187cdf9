package dev.tally.application.audit;

import dev.tally.application.port.AuditEntry;
import dev.tally.application.port.AuditLog;
import dev.tally.application.port.Transactions;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;

/**
 * The audit log of operator writes (R93): each entry is appended in a transaction of its own, once
 * the write it describes is done, and nothing removes or changes one.
 */
public class AuditService {

    private final AuditLog log;
    private final Transactions transactions;
    private final Clock clock;

    @Inject
    public AuditService(AuditLog log, Transactions transactions, Clock clock) {
        this.log = log;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Appends an entry for a write that is done, stamped now; answers it as stored. */
    public AuditEntry record(String actorKeyId, String action, String target, String requestId, String summary) {
        AuditEntry entry = new AuditEntry(0, clock.instant(), actorKeyId, action, target, requestId, summary);
        return transactions.inTransaction(() -> log.append(entry));
    }

    /** A page of the log, newest first. */
    public AuditPage list(ListAudit query) {
        // One more than the page, to tell whether another page follows.
        List<AuditEntry> found = log.page(query.target(), query.action(),
                query.before().orElse(Long.MAX_VALUE), query.limit() + 1);
        if (found.size() <= query.limit()) {
            return new AuditPage(found, OptionalLong.empty());
        }
        List<AuditEntry> page = found.subList(0, query.limit());
        return new AuditPage(page, OptionalLong.of(page.get(page.size() - 1).id()));
    }
}
