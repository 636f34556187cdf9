package dev.tally.adapter.http;

import java.util.regex.Pattern;

/**
 * The type prefixes of the ids a client holds ({@code run_}, {@code ses_}, {@code txn_},
 * {@code call_}; reservations, events and keys are made with theirs). Rows stored before ids had
 * prefixes keep their bare UUID: they are shown with the prefix, and read back by either form.
 */
final class Ids {

    static final String RUN = "run_";
    static final String SESSION = "ses_";
    static final String TRANSACTION = "txn_";
    static final String API_CALL = "call_";
    static final String RECORD = "rec_";

    /** How ids were made before they had prefixes. */
    private static final Pattern BARE_UUID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private Ids() {
    }

    /**
     * The id of a usage record: its idempotency key, which is unique per user (R20), in URL-safe
     * base64 after {@code rec_}. A record's id is the same on every answer, duplicates included,
     * and names the record under its user's path without a lookup.
     */
    static String record(String idempotencyKey) {
        return RECORD + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(idempotencyKey.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The id as clients see it; {@code null} stays {@code null}. */
    static String shown(String prefix, String stored) {
        return stored == null || !BARE_UUID.matcher(stored).matches() ? stored : prefix + stored;
    }

    /** The stored id a client's id names: {@code run_<uuid>} of an older row is its bare UUID. */
    static String stored(String prefix, String sent) {
        if (sent != null && sent.startsWith(prefix) && BARE_UUID.matcher(sent.substring(prefix.length())).matches()) {
            return sent.substring(prefix.length());
        }
        return sent;
    }
}
