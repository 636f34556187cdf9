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
            EventPage page = events.list(new ListEvents(caller.restrictedTo().or(() -> named), type,
                    RequestFields.intQuery(ctx, "limit", ListEvents.DEFAULT_LIMIT, "invalid_paging"),
                    Listing.cursor(ctx), order(ctx)));
            Listing.cursored(ctx, page.events().stream().map(EventResponse::from).toList(), page.nextCursor(), "events");
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
}
