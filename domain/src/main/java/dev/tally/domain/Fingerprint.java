package dev.tally.domain;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * What makes two requests "the same" (R20): a SHA-256 over the operation and the fields a client
 * sent, each written as {@code name}, length and value so that no two different requests can
 * spell the same text. Only what the client sent goes in: never a server-assigned instant or a
 * derived value such as a detected provider or a computed price. An absent optional field is
 * told apart from an empty one; decimals compare by value ({@code 1.0} is {@code 1}); maps by
 * their sorted entries.
 *
 * <p>Every command that can be retried under an idempotency key builds its {@code fingerprint()}
 * here, and nowhere else.
 */
public final class Fingerprint {

    private final StringBuilder text = new StringBuilder();

    private Fingerprint(String operation) {
        field("operation", operation);
    }

    /** Starts the fingerprint of one kind of request. */
    public static Fingerprint of(String operation) {
        return new Fingerprint(operation);
    }

    /** Adds a field the client sent. */
    public Fingerprint with(String name, Object value) {
        if (value instanceof Optional<?> optional) {
            return optional.isPresent() ? with(name, optional.get()) : absent(name);
        }
        if (value instanceof OptionalInt optional) {
            return optional.isPresent() ? with(name, optional.getAsInt()) : absent(name);
        }
        if (value instanceof OptionalLong optional) {
            return optional.isPresent() ? with(name, optional.getAsLong()) : absent(name);
        }
        if (value instanceof Map<?, ?> map) {
            new TreeMap<>(map).forEach((k, v) -> field(name + "." + k, String.valueOf(v)));
            return this;
        }
        if (value instanceof BigDecimal decimal) {
            // Digits and exponent, never spelled out: a client's 1e999999999 stays short.
            BigDecimal plain = decimal.stripTrailingZeros();
            return field(name, plain.signum() == 0 ? "0" : plain.unscaledValue() + "e" + -plain.scale());
        }
        return value == null ? absent(name) : field(name, value.toString());
    }

    private Fingerprint absent(String name) {
        text.append(name.length()).append(':').append(name).append('!').append('\n');
        return this;
    }

    private Fingerprint field(String name, String value) {
        text.append(name.length()).append(':').append(name).append('=').append(value.length()).append(':').append(value).append('\n');
        return this;
    }

    /** The fingerprint: SHA-256 of the fields in lower-case hex. */
    public String hex() {
        return sha256(text.toString());
    }

    /** SHA-256 of {@code text} in lower-case hex. */
    public static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
