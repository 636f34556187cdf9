package dev.tally.application.memory;

import dev.tally.application.port.EventLog;
import dev.tally.domain.event.Event;
import dev.tally.domain.event.EventType;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The event outbox in memory: one list in append order, the once-keys of each user, and each
 * user's counter of rate-bounded events per type.
 */
public final class InMemoryEventLog implements EventLog {

    private final List<Event> events = new ArrayList<>();
    private final Set<List<String>> onceKeys = new HashSet<>();
    private final Map<List<String>, Window> windows = new HashMap<>();

    /** A counter of events of one type for one user in the window that starts at {@code start}. */
    private record Window(Instant start, int events) {
    }

    @Override
    public synchronized boolean admit(UserId user, EventType type, Instant windowStart, int max) {
        List<String> key = List.of(user.value(), type.wireName());
        Window counted = windows.getOrDefault(key, new Window(Instant.MIN, 0));
        Window now = counted.start().isBefore(windowStart) ? new Window(windowStart, 1)
                : new Window(counted.start(), counted.events() + 1);
        if (now.events() > max) {
            return false;
        }
        windows.put(key, now);
        return true;
    }

    @Override
    public synchronized boolean appendOnce(Event event, String onceKey) {
        if (!onceKeys.add(List.of(event.user().value(), onceKey))) {
            return false;
        }
        events.add(event);
        return true;
    }

    @Override
    public synchronized boolean rearm(UserId user, String onceKey) {
        return onceKeys.remove(List.of(user.value(), onceKey));
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

    @Override
    public synchronized List<Logged> pageBefore(Optional<UserId> user, Optional<EventType> type, long before,
                                                int limit) {
        List<Logged> page = new ArrayList<>();
        // Position p is the event at index p - 1.
        for (int i = (int) Math.min(before - 1, events.size()) - 1; i >= 0 && page.size() < limit; i--) {
            Event event = events.get(i);
            if (user.map(event.user()::equals).orElse(true) && type.map(event.type()::equals).orElse(true)) {
                page.add(new Logged(i + 1L, event));
            }
        }
        return page;
    }
}
