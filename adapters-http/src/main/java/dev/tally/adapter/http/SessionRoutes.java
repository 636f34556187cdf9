package dev.tally.adapter.http;

import static dev.tally.adapter.http.RouteTable.Access.KEY;

import dev.tally.application.session.CompleteSession;
import dev.tally.application.session.CreateSession;
import dev.tally.application.session.SessionService;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.session.Session;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * Sessions: creating one is checked against {@code sessions}, {@code session_minutes} and the
 * file-size cap (R16); completing one adds {@code ceil(duration_seconds / 60)} minutes.
 */
final class SessionRoutes {

    private final SessionService sessions;
    private final HttpMetrics metrics;

    SessionRoutes(SessionService sessions, HttpMetrics metrics) {
        this.sessions = sessions;
        this.metrics = metrics;
    }

    void register(RouteTable routes) {
        routes.post("/v1/users/{user_id}/sessions", KEY, (ctx, caller) -> {
            SessionRequest request = RequestBody.read(ctx, SessionRequest.class);
            CreateSession command = new CreateSession(caller.user(ctx),
                    RequestFields.required(request.title(), "title"), request.fileSize(),
                    RequestFields.idempotencyKey(ctx));
            Session session = RefusalException.valueOf(sessions.create(command));
            metrics.granted(MetricKey.SESSIONS.value());
            ctx.status(201).json(SessionResponse.from(session));
        });
        routes.post("/v1/users/{user_id}/sessions/{session_id}/complete", KEY, (ctx, caller) -> {
            CompleteRequest request = RequestBody.read(ctx, CompleteRequest.class);
            long seconds = BoundedInput.count(RequestFields.required(request.durationSeconds(), "duration_seconds"),
                    "duration_seconds");
            ctx.json(SessionResponse.from(sessions.complete(new CompleteSession(caller.user(ctx),
                    Ids.stored(Ids.SESSION, ctx.pathParam("session_id")), seconds, RequestFields.idempotencyKey(ctx)))));
        });
        routes.get("/v1/users/{user_id}/sessions/{session_id}", KEY, (ctx, caller) ->
                ctx.json(SessionResponse.from(sessions.get(caller.user(ctx), Ids.stored(Ids.SESSION, ctx.pathParam("session_id"))))));
    }

    record SessionRequest(String title, BigDecimal fileSizeMb) implements RequestBody.FieldChecks {

        @Override
        public void checkField(String field) {
            switch (field) {
                case "title" -> Session.open("checked", RequestBody.CHECKED_USER, title, Optional.empty(),
                        Instant.EPOCH);
                case "file_size_mb" -> SessionService.fileSizeMb(fileSize());
                default -> { }
            }
        }

        Optional<BigDecimal> fileSize() {
            return Optional.ofNullable(RequestFields.number(fileSizeMb, "file_size_mb"));
        }
    }

    record CompleteRequest(Long durationSeconds) {
    }

    /** A session; {@code duration_seconds} is null until it is completed. */
    record SessionResponse(String id, String title, BigDecimal fileSizeMb, Instant createdAt, Long durationSeconds) {
        static SessionResponse from(Session session) {
            return new SessionResponse(Ids.shown(Ids.SESSION, session.id()), session.title(), session.fileSizeMb().orElse(null),
                    session.createdAt(),
                    session.durationSeconds().isPresent() ? session.durationSeconds().getAsLong() : null);
        }
    }
}
