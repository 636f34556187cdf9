package dev.tally.application.event;

import dev.tally.domain.event.Event;
import java.util.List;
import java.util.Optional;

/**
 * A page of events, oldest first.
 *
 * @param nextCursor where to continue; empty on the last page
 */
public record EventPage(List<Event> events, Optional<String> nextCursor) {

    public EventPage {
        events = List.copyOf(events);
    }
}
