package dev.tally.application.event;

/** Which way a page of events reads the log (R75): from the oldest, or from the newest. */
public enum EventOrder {
    /** The oldest first; a cursor continues after the last event shown. */
    OLDEST_FIRST,
    /** The newest first; a cursor continues before the last event shown. */
    NEWEST_FIRST
}
