package dev.tally.domain.usage;

import dev.tally.domain.DomainException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * The id of a usage record within its user (R92, R94): the record's idempotency key, which is
 * unique per user (R20), written so that it fits in a URL path: {@code rec_} and the key's UTF-8
 * bytes in unpadded base64url. A record's void has the id {@code void_} and the same text, since a
 * record has at most one void.
 *
 * @param key  the record's idempotency key
 * @param isVoid whether this names the record's void rather than the record
 */
public record RecordId(IdempotencyKey key, boolean isVoid) {

    private static final String RECORD = "rec_";
    private static final String VOID = "void_";

    public RecordId {
        Objects.requireNonNull(key, "key");
    }

    /** The id of the record stored under {@code key}. */
    public static RecordId of(IdempotencyKey key) {
        return new RecordId(key, false);
    }

    /** The id of this record's void. */
    public RecordId voidId() {
        return new RecordId(key, true);
    }

    /** Reads an id this server gave; anything else is {@code 404 record_not_found}, as an unknown id is. */
    public static RecordId parse(String text) {
        boolean isVoid = text != null && text.startsWith(VOID);
        String prefix = isVoid ? VOID : RECORD;
        if (text == null || !text.startsWith(prefix) || text.length() > 400) {
            throw notFound(text);
        }
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(text.substring(prefix.length()));
            RecordId id = new RecordId(new IdempotencyKey(new String(bytes, StandardCharsets.UTF_8)), isVoid);
            if (!id.toString().equals(text)) {
                throw notFound(text);
            }
            return id;
        } catch (IllegalArgumentException | DomainException malformed) {
            throw notFound(text);
        }
    }

    private static DomainException notFound(String text) {
        return DomainException.notFound("record_not_found", "no usage record " + (text == null ? "" : text.length() > 60
                ? text.substring(0, 60) + "…" : text));
    }

    @Override
    public String toString() {
        return (isVoid ? VOID : RECORD) + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(key.value().getBytes(StandardCharsets.UTF_8));
    }
}
