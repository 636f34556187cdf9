package dev.tally.application.reservation;

import dev.tally.application.idempotency.IdempotentWrites;
import dev.tally.application.port.ReserveResult;
import dev.tally.application.port.UsageLedger;
import dev.tally.application.port.UserRepository;
import dev.tally.application.usage.Metering;
import dev.tally.application.usecase.Outcome;
import dev.tally.application.user.Accounts;
import dev.tally.domain.DomainException;
import dev.tally.domain.meter.Aggregation;
import dev.tally.domain.meter.Meter;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.usage.UsageRecord;
import dev.tally.domain.usage.Reservation;
import dev.tally.domain.user.User;
import dev.tally.domain.user.UserId;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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

    /** The most records a hold of a {@code count} meter may hold: its commit records one per record counted. */
    public static final int MAX_COUNT_HOLD = 1_000;

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
        metering.meterOf(command.metric()).ifPresent(meter -> reservable(meter, command.quantity()));
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
            Optional<Meter> meter = command.commit() ? metering.meterOf(held.metric()) : Optional.empty();
            boolean done;
            if (meter.isPresent()) {
                done = commitMeter(command, meter.get(), held, ended.committedQuantity().orElseThrow(), now);
            } else {
                done = command.commit()
                        ? ledger.commit(command.user(), held.id(), ended.committedQuantity().orElseThrow(),
                                "reservation:" + held.id(), now).isPresent()
                        : ledger.release(command.user(), held.id(), now);
            }
            if (!done) {
                // Ended by a concurrent request in between: refuse as its state now says (409).
                get(command.user(), held.id()).release(now);
                throw new IllegalStateException("reservation " + held.id() + " is held but could not be ended");
            }
            return ended;
        }, Reservation::id, id -> get(command.user(), id));
    }

    /**
     * A meter may be held against only when its value is a running total (R71, R81): {@code sum},
     * or {@code count} of a whole number of records at most {@link #MAX_COUNT_HOLD}; else
     * {@code 422 meter_not_reservable} and nothing is held.
     */
    private static void reservable(Meter meter, BigDecimal quantity) {
        if (!meter.aggregation().additive()) {
            throw DomainException.unprocessable("meter_not_reservable", "meter " + meter.key() + " aggregates "
                    + meter.aggregation().wire() + ", which a hold cannot reserve: only sum and count meters add up"
                    + " what is recorded, so only they have room to hold (reserve its source metric instead)");
        }
        if (meter.aggregation() == Aggregation.COUNT && (quantity.signum() <= 0 || quantity.stripTrailingZeros()
                .scale() > 0 || quantity.compareTo(BigDecimal.valueOf(MAX_COUNT_HOLD)) > 0)) {
            throw DomainException.invalid("invalid_quantity", "meter " + meter.key() + " counts records: a hold on it"
                    + " is a whole number of records, 1-" + MAX_COUNT_HOLD);
        }
    }

    /**
     * Commits a hold of a meter: the hold ends, leaving {@code reserved}, and what it used is
     * recorded as usage of the meter's source (carrying the commit's dimensions, which must pass the
     * meter's filter), which feeds the meter as any record does: one record of {@code quantity} for
     * a {@code sum} meter, {@code quantity} records of 1 for a {@code count} meter. Not enforced: the
     * hold already kept the room. False when the hold was not held at {@code now}.
     */
    private boolean commitMeter(EndReservation command, Meter meter, Reservation held, BigDecimal quantity,
                                Instant now) {
        Map<String, String> dimensions = new TreeMap<>(command.dimensions());
        dimensions.put("reservation_id", held.id());
        long count = meter.aggregation() == Aggregation.COUNT ? quantity.longValueExact() : 1;
        List<UsageRecord> records = new ArrayList<>();
        for (long n = 0; n < count && quantity.signum() > 0; n++) {
            String key = "reservation:" + held.id() + (meter.aggregation() == Aggregation.COUNT ? ":" + n : "");
            records.add(new UsageRecord(command.user(), meter.source(),
                    meter.aggregation() == Aggregation.COUNT ? BigDecimal.ONE : quantity, held.heldAt(),
                    new IdempotencyKey(key), dimensions));
        }
        if (!records.isEmpty() && !meter.matches(records.get(0))) {
            throw DomainException.unprocessable("dimensions_not_matching_meter", "meter " + meter.key()
                    + " counts only records of " + meter.source() + " whose dimensions pass its filter "
                    + meter.filter() + (meter.uniqueDimension().map(d -> " and carry " + d).orElse(""))
                    + ": commit with dimensions that do");
        }
        UserRepository.WithPlan account = accounts.withPlan(command.user());
        return ledger.settle(command.user(), held.id(), quantity, now, () -> {
            if (!records.isEmpty()) {
                metering.record(account.user(), account.plan().orElseThrow(), records, false).orElseThrow();
            }
        });
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
