package dev.tally.application.usage;

import dev.tally.application.event.EventRecorder;
import dev.tally.application.port.AppendResult;
import dev.tally.application.port.Transactions;
import dev.tally.application.port.UsageVoids;
import dev.tally.application.port.VoidOutcome;
import dev.tally.application.user.Accounts;
import dev.tally.domain.DomainException;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.usage.LateEventPolicy;
import dev.tally.application.credit.Credits;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;

/**
 * Corrections of recorded usage (R92). A void keeps the record and stores a void that references
 * it; what the record caused is taken back in the same transaction. An amendment is a void and a
 * new record. A record whose period ended before the late-event window is final
 * ({@code 409 period_closed}), as a late record for it would be refused (R21).
 *
 * <p>Events already told are not retracted. A void that takes a metric (or a meter the record
 * fed) from at or above a threshold of the user's plan to below it re-arms that threshold for the
 * record's period, in the void's transaction: the next write that crosses it again creates a new
 * {@code usage.threshold_reached} event (R75). A void that leaves the value at or above a
 * threshold re-arms nothing. A void that raises a {@code latest} meter (its previous latest
 * record was larger) across a threshold creates that threshold's event, as any write does.
 */
public class CorrectionService {

    private final UsageVoids voids;
    private final Accounts accounts;
    private final Transactions transactions;
    private final LateEventPolicy lateEvents;
    private final Clock clock;
    private final EventRecorder events;
    private final Credits credits;

    /** Corrections without credits: a void of a credit-priced record gives nothing back (R38). */
    public CorrectionService(UsageVoids voids, Accounts accounts, Transactions transactions,
                             LateEventPolicy lateEvents, Clock clock, EventRecorder events) {
        this(voids, accounts, transactions, lateEvents, clock, events, null);
    }

    /**
     * Corrections whose voids also give back, through {@code credits}, what a credit-priced record
     * spent (R38, R92), in the void's transaction.
     */
    @Inject
    public CorrectionService(UsageVoids voids, Accounts accounts, Transactions transactions,
                             LateEventPolicy lateEvents, Clock clock, EventRecorder events, Credits credits) {
        this.credits = credits;
        this.voids = voids;
        this.accounts = accounts;
        this.transactions = transactions;
        this.lateEvents = lateEvents;
        this.clock = clock;
        this.events = events;
    }

    /**
     * Voids a record; voiding it again answers the first void. An unknown record is
     * {@code 404 record_not_found}, a void's own id {@code 409 record_is_a_void}.
     */
    public VoidOutcome.Voided voidRecord(VoidRecord command) {
        Plan plan = accounts.planOf(accounts.user(command.user()));
        if (command.record().isVoid()) {
            throw DomainException.conflict("record_is_a_void", command.record()
                    + " is a void; a void cannot be voided (record the usage again instead)");
        }
        Instant now = clock.instant();
        VoidOutcome outcome = transactions.inTransaction(() -> {
            VoidOutcome done = voids.voidRecord(command.user(), command.record().key(), command.reason(), now,
                    now.minus(lateEvents.lateWindow()));
            if (done instanceof VoidOutcome.Voided voided && voided.now()) {
                for (VoidOutcome.Changed changed : voided.changed()) {
                    if (changed.after().compareTo(changed.before()) < 0) {
                        events.thresholdsRearmed(command.user(), plan, changed.metric(), voided.period(),
                                changed.before(), changed.after());
                    } else {
                        // A latest meter's previous latest may be larger: a rise is told as any write's (R75).
                        events.thresholdsReached(command.user(), plan, new AppendResult.Raised(changed.metric(),
                                voided.period(), changed.after().subtract(changed.before()), changed.after()));
                    }
                }
            }
            // What the record spent goes back to the grants it drew from, once however often it is voided.
            if (done instanceof VoidOutcome.Voided && credits != null) {
                credits.refundOf(command.user(), command.record().key(), command.reason(), now);
            }
            return done;
        });
        if (outcome instanceof VoidOutcome.Voided voided) {
            return voided;
        }
        if (outcome instanceof VoidOutcome.PeriodClosed closed) {
            throw DomainException.conflict("period_closed", "the record counts in the period that ended "
                    + closed.period().end() + ", before the late-event window; its usage is final");
        }
        throw DomainException.notFound("record_not_found", "no usage record " + command.record() + " for user "
                + command.user());
    }
}
