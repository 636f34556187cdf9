package dev.tally.application.event;

import dev.tally.domain.event.Event;

/**
 * Hears every event in process (R78), once the transaction that created it has committed (with
 * group commit, once the group's commit is done), on the thread that committed it. A listener
 * should be quick and must not throw; what it throws is logged nowhere and changes nothing.
 */
@FunctionalInterface
public interface EventListener {

    void onEvent(Event event);
}
