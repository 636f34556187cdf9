package dev.tally.application.event;

import dev.tally.application.port.EventLog;
import dev.tally.domain.DomainException;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Reads the events that writes created (R75) and registers in-process listeners for new ones
 * (R78).
 */
public class EventService {

    private static final String CURSOR_PREFIX = "e1:";

    private final EventLog log;
    private final EventRecorder recorder;

    @Inject
    public EventService(EventLog log, EventRecorder recorder) {
        this.log = log;
        this.recorder = recorder;
    }

    /** A page of events, oldest or newest first; an unreadable cursor is {@code 400 invalid_cursor}. */
    public EventPage list(ListEvents query) {
        boolean newestFirst = query.order() == EventOrder.NEWEST_FIRST;
        long at = query.cursor().map(EventService::decode).orElse(newestFirst ? Long.MAX_VALUE : 0L);
        // One more than asked tells whether there is a next page.
        List<EventLog.Logged> read = newestFirst
                ? log.pageBefore(query.user(), query.type(), at, query.limit() + 1)
                : log.page(query.user(), query.type(), at, query.limit() + 1);
        List<EventLog.Logged> shown = read.subList(0, Math.min(read.size(), query.limit()));
        Optional<String> next = read.size() > query.limit()
                ? Optional.of(encode(shown.get(shown.size() - 1).position()))
                : Optional.empty();
        return new EventPage(shown.stream().map(EventLog.Logged::event).toList(), next);
    }

    /** Calls {@code listener} with every event created from now on, after its commit (R78). */
    public void listen(EventListener listener) {
        recorder.listen(listener);
    }

    private static String encode(long position) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((CURSOR_PREFIX + position).getBytes(StandardCharsets.US_ASCII));
    }

    private static long decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (cursor.length() <= 40 && text.startsWith(CURSOR_PREFIX)) {
                long position = Long.parseLong(text.substring(CURSOR_PREFIX.length()));
                if (position >= 0) {
                    return position;
                }
            }
        } catch (IllegalArgumentException e) {
            // Falls through to the refusal below.
        }
        throw DomainException.invalid("invalid_cursor", "cursor is not one this server gave");
    }
}
