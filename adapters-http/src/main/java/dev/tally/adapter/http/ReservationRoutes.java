package dev.tally.adapter.http;

import static dev.tally.adapter.http.RouteTable.Access.KEY;

import dev.tally.application.reservation.EndReservation;
import dev.tally.application.reservation.HoldReservation;
import dev.tally.application.reservation.ReservationService;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.usage.Reservation;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reservations (R71): {@code POST /v1/users/{user_id}/reservations} holds a quantity of any
 * metric (the 403 of R12 when it does not fit), {@code …/{id}/commit} records what the work used
 * (at most the hold) and releases the rest, {@code …/{id}/release} gives it all back. All three
 * honour {@code Idempotency-Key} (R20).
 */
final class ReservationRoutes {

    private final ReservationService reservations;
    private final HttpMetrics metrics;

    ReservationRoutes(ReservationService reservations, HttpMetrics metrics) {
        this.reservations = reservations;
        this.metrics = metrics;
    }

    void register(RouteTable routes) {
        String base = "/v1/users/{user_id}/reservations";
        routes.post(base, KEY, (ctx, caller) -> {
            HoldRequest request = RequestBody.read(ctx, HoldRequest.class);
            HoldReservation hold = request.toHold(caller.user(ctx), RequestFields.idempotencyKey(ctx));
            Reservation held = RefusalException.valueOf(reservations.hold(hold));
            metrics.granted(hold.metric().value());
            ctx.status(201).json(ReservationResponse.from(held));
        });
        routes.post(base + "/{reservation_id}/commit", KEY, (ctx, caller) -> {
            CommitRequest request = RequestBody.readOptional(ctx, CommitRequest.class).orElse(CommitRequest.ALL);
            Optional<BigDecimal> quantity = Optional.ofNullable(RequestFields.number(request.quantity(), "quantity"));
            Map<String, String> dimensions = RequestFields.dimensions(request.dimensions(), "dimensions");
            ctx.json(ReservationResponse.from(reservations.end(EndReservation.commit(caller.user(ctx),
                    ctx.pathParam("reservation_id"), quantity, RequestFields.idempotencyKey(ctx))
                    .withDimensions(dimensions == null ? Map.of() : dimensions))));
        });
        routes.post(base + "/{reservation_id}/release", KEY, (ctx, caller) -> {
            RequestBody.none(ctx);
            ctx.json(ReservationResponse.from(reservations.end(EndReservation.release(caller.user(ctx),
                    ctx.pathParam("reservation_id"), RequestFields.idempotencyKey(ctx)))));
        });
    }

    /** {@code {"metric", "quantity", "ttl_seconds"?}}. */
    record HoldRequest(String metric, BigDecimal quantity, Long ttlSeconds) implements RequestBody.FieldChecks {

        private static final HoldRequest VALID = new HoldRequest("checked", BigDecimal.ONE, null);

        @Override
        public void checkField(String field) {
            RequestBody.only(this, field, VALID).toHold(RequestBody.CHECKED_USER, Optional.empty());
        }

        HoldReservation toHold(UserId user, Optional<IdempotencyKey> key) {
            MetricKey checked = new MetricKey(RequestFields.required(metric, "metric"));
            BigDecimal amount = RequestFields.number(RequestFields.required(quantity, "quantity"), "quantity");
            OptionalLong ttl = ttlSeconds == null ? OptionalLong.empty() : OptionalLong.of(ttlSeconds);
            return new HoldReservation(user, checked, amount, ttl, key);
        }
    }

    /**
     * {@code {"quantity"?, "dimensions"?}}: what the work used, without it the whole hold; the
     * dimensions its usage carries (a hold of a meter records its source with them, R81).
     */
    record CommitRequest(BigDecimal quantity, Map<String, String> dimensions) {
        static final CommitRequest ALL = new CommitRequest(null, null);
    }

    /** A reservation; {@code committed_quantity} is null unless committed. */
    record ReservationResponse(String id, String metric, BigDecimal quantity, String state, Instant heldAt,
                               Instant expiresAt, BigDecimal committedQuantity) {
        static ReservationResponse from(Reservation reservation) {
            return new ReservationResponse(reservation.id(), reservation.metric().value(), reservation.quantity(),
                    reservation.state().wireName(), reservation.heldAt(), reservation.expiresAt(),
                    reservation.committedQuantity().orElse(null));
        }
    }
}
