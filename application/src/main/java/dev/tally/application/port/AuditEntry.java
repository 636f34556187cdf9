package dev.tally.application.port;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the audit log (R93): which key did what to which target, when, in which request,
 * and a short summary of what changed. Entries are only ever appended.
 *
 * @param id         the log's own number, increasing in append order
 * @param at         when the write was done
 * @param actorKeyId the id of the key that made it ({@code ""} when it was made without a key)
 * @param action     what was done, e.g. {@code plan.put}, {@code credit.grant}, {@code usage.void}
 * @param target     what it was done to, e.g. {@code user:acme}, {@code plan:pro}
 * @param requestId  the {@code Request-Id} of the request that made it
 * @param summary    what changed, for a person, at most {@value #MAX_SUMMARY} characters
 */
public record AuditEntry(long id, Instant at, String actorKeyId, String action, String target, String requestId,
                         String summary) {

    /** The longest summary kept; a longer one is cut and ends with {@code …}. */
    public static final int MAX_SUMMARY = 2000;
    /** The longest action, target, actor or request id. */
    public static final int MAX_NAME = 200;

    public AuditEntry {
        Objects.requireNonNull(at, "at");
        actorKeyId = bounded(actorKeyId, MAX_NAME);
        action = bounded(action, MAX_NAME);
        target = bounded(target, MAX_NAME);
        requestId = bounded(requestId, MAX_NAME);
        summary = bounded(summary, MAX_SUMMARY);
    }

    /** This entry as the log numbered it. */
    public AuditEntry numbered(long number) {
        return new AuditEntry(number, at, actorKeyId, action, target, requestId, summary);
    }

    private static String bounded(String text, int max) {
        String value = text == null ? "" : text;
        return value.length() <= max ? value : value.substring(0, max - 1) + "…";
    }
}
