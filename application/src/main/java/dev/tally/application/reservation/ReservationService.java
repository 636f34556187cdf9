package dev.tally.application.reservation;

import dev.tally.application.idempotency.IdempotentWrites;
import dev.tally.application.port.ReserveResult;
import dev.tally.application.port.UsageLedger;
import dev.tally.application.port.UserRepository;
import dev.tally.application.usage.Metering;
import dev.tally.application.usecase.Outcome;
import dev.tally.application.user.Accounts;
import dev.tally.domain.DomainException;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.usage.Reservation;
import dev.tally.domain.user.User;
import dev.tally.domain.user.UserId;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Reservations for any metric (R71): hold a quantity against the limit before work of unknown
 * size, then commit what was used (at most the hold; the rest is released) or release it. A hold
 * counts in the same {@code reserved} figure that enforcement and entitlement checks read, and
 * stops counting at its expiry instant whether or not anything has swept it; committing or
 * releasing it afterwards is {@code 409 reservation_expired}. Each write is atomic (R13) and
 * idempotent under its key (R20).
 *
 * <p>Report runs (R26) hold their run through the same ledger holds, expiring at the run's timeout;
 * their ids are not this service's, so a run's hold cannot be ended here.
 */
public class ReservationService {

    /** Every reservation id this service makes starts so, which keeps a run's reservation out of its reach. */
    static final String PREFIX = "res_";

    private final UsageLedger ledger;
    private final Metering metering;
    private final Accounts accounts;
    private final IdempotentWrites writes;
    private final Clock clock;

    @Inject
    public ReservationService(UsageLedger ledger, Metering metering, Accounts accounts, IdempotentWrites writes,
                              Clock clock) {
        this.ledger = ledger;
        this.metering = metering;
        this.accounts = accounts;
        this.writes = writes;
        this.clock = clock;
    }

    /** Holds a quantity, or refuses as an enforced write would (R12, R13). */
    public Outcome<Reservation> hold(HoldReservation command) {
        return writes.execute(command.user(), command.idempotencyKey(), command.fingerprint(), () -> holding(command),
                Reservation::id, id -> get(command.user(), id));
    }

    /** {@link #hold} in its transaction: the user and its plan read together, then the hold placed. */
    private Outcome<Reservation> holding(HoldReservation command) {
        UserRepository.WithPlan account = accounts.withPlan(command.user());
        Plan plan = account.plan().orElseThrow();
        Reservation hold = Reservation.hold(PREFIX + UUID.randomUUID(), command.metric(), command.quantity(),
                clock.instant(), command.ttl());
        return metering.place(account.user().id(), plan, () -> place(account.user(), plan, hold)).map(placed -> hold);
    }

    private ReserveResult place(User user, Plan plan, Reservation hold) {
        return ledger.hold(user.id(), hold.id(), hold.metric(), hold.quantity(), hold.heldAt(), hold.expiresAt(),
                user.periodAt(hold.heldAt()), plan.limitOf(hold.metric()), metering.boundOf(plan));
    }

    /**
     * Commits or releases a hold: {@code 404 reservation_not_found} for an unknown or another
     * user's id, {@code 409 reservation_expired} once its expiry has come, {@code 409
     * reservation_not_held} once it has ended.
     */
    public Reservation end(EndReservation command) {
        return writes.executeAlways(command.user(), command.idempotencyKey(), command.fingerprint(), () -> {
            Instant now = clock.instant();
            Reservation held = get(command.user(), command.reservationId());
            Reservation ended = command.commit() ? held.commit(command.quantity(), now) : held.release(now);
            boolean done = command.commit()
                    ? ledger.commit(command.user(), held.id(), ended.committedQuantity().orElseThrow(),
                            "reservation:" + held.id(), now).isPresent()
                    : ledger.release(command.user(), held.id(), now);
            if (!done) {
                // Ended by a concurrent request in between: refuse as its state now says (409).
                get(command.user(), held.id()).release(now);
                throw new IllegalStateException("reservation " + held.id() + " is held but could not be ended");
            }
            return ended;
        }, Reservation::id, id -> get(command.user(), id));
    }

    /** The reservation as it stands now, or {@code 404 reservation_not_found}. */
    public Reservation get(UserId user, String reservationId) {
        accounts.user(user);
        if (!reservationId.startsWith(PREFIX)) {
            throw notFound(reservationId);
        }
        return ledger.reservation(user, reservationId).map(r -> r.asOf(clock.instant()))
                .orElseThrow(() -> notFound(reservationId));
    }

    private static DomainException notFound(String reservationId) {
        return DomainException.notFound("reservation_not_found", "no reservation " + reservationId);
    }
}
