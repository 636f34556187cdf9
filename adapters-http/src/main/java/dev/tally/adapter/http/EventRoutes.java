package dev.tally.adapter.http;

import static dev.tally.adapter.http.RouteTable.Access.KEY;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.tally.application.event.EventOrder;
import dev.tally.application.event.EventPage;
import dev.tally.application.event.EventService;
import dev.tally.application.event.ListEvents;
import dev.tally.domain.event.Event;
import dev.tally.domain.event.EventType;
import dev.tally.domain.user.UserId;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;

/**
 * Events (R75): {@code GET /v1/events}, oldest first or with {@code ?order=desc} newest first, paged
 * by an opaque cursor that marks a place in the log and reads on from it in either order. The admin key
 * reads every user's, or one user's with {@code user_id}; a user key reads its own user's only,
 * and naming another user is the 404 of a missing one.
 */
final class EventRoutes {

    private final EventService events;

    EventRoutes(EventService events) {
        this.events = events;
    }

    void register(RouteTable routes) {
        routes.get("/v1/events", KEY, (ctx, caller) -> {
            Optional<UserId> named = Optional.ofNullable(ctx.queryParam("user_id")).filter(id -> !id.isEmpty())
                    .map(caller::actFor);
            Optional<EventType> type = Optional.ofNullable(ctx.queryParam("type")).filter(t -> !t.isEmpty())
                    .map(EventType::parse);
            ctx.json(EventList.from(events.list(new ListEvents(caller.restrictedTo().or(() -> named), type,
                    RequestFields.intQuery(ctx, "limit", ListEvents.DEFAULT_LIMIT, "invalid_paging"),
                    Optional.ofNullable(ctx.queryParam("cursor")).filter(c -> !c.isEmpty()), order(ctx)))));
        });
    }

    /** {@code ?order=asc} (the default) or {@code desc}. */
    private static EventOrder order(Context ctx) {
        String order = ctx.queryParam("order");
        if (order == null || order.isEmpty() || order.equals("asc")) {
            return EventOrder.OLDEST_FIRST;
        }
        if (order.equals("desc")) {
            return EventOrder.NEWEST_FIRST;
        }
        throw ApiException.badField("invalid_order", "order",
                "Query parameter 'order' must be asc or desc, not '" + BoundedInput.echo(order) + "'.");
    }

    /** An event as clients and webhook receivers see it; {@code data} is its stored JSON object. */
    record EventResponse(String id, String type, String createdAt, String userId, @JsonRawValue String data) {
        static EventResponse from(Event event) {
            return new EventResponse(event.id(), event.type().wireName(), event.createdAt().toString(),
                    event.user().value(), event.data());
        }
    }

    /** A page of events; {@code next_cursor} is null on the last page. */
    record EventList(List<EventResponse> events, String nextCursor) {
        static EventList from(EventPage page) {
            return new EventList(page.events().stream().map(EventResponse::from).toList(),
                    page.nextCursor().orElse(null));
        }
    }
}
