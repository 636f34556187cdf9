package dev.tally.application.memory;

import dev.tally.application.port.EventLog;
import dev.tally.domain.event.Event;
import dev.tally.domain.event.EventType;
import dev.tally.domain.user.UserId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The event outbox in memory: one list in append order, and the once-keys of each user. */
public final class InMemoryEventLog implements EventLog {

    private final List<Event> events = new ArrayList<>();
    private final Set<List<String>> onceKeys = new HashSet<>();

    @Override
    public synchronized boolean appendOnce(Event event, String onceKey) {
        if (!onceKeys.add(List.of(event.user().value(), onceKey))) {
            return false;
        }
        events.add(event);
        return true;
    }

    @Override
    public synchronized Optional<Event> find(String id) {
        return events.stream().filter(event -> event.id().equals(id)).findFirst();
    }

    @Override
    public synchronized List<Logged> page(Optional<UserId> user, Optional<EventType> type, long after, int limit) {
        List<Logged> page = new ArrayList<>();
        for (int i = (int) Math.min(after, events.size()); i < events.size() && page.size() < limit; i++) {
            Event event = events.get(i);
            if (user.map(event.user()::equals).orElse(true) && type.map(event.type()::equals).orElse(true)) {
                page.add(new Logged(i + 1L, event));
            }
        }
        return page;
    }
}
