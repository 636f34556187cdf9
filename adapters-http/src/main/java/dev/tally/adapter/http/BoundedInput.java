package dev.tally.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.domain.Bounds;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;

/**
 * The bounds every value a client sends must keep before anything else touches it (R64, the
 * table of {@link Bounds}): text
 * without NUL or unpaired UTF-16 surrogates, decimals with a bounded exponent and precision,
 * instants in the years 1970–9999, counters whose sums fit a 64-bit total. Error messages built
 * from client input go through {@link #echo(String)}, so an answer never grows with the request.
 */
final class BoundedInput {

    /** How much of a client's text an error message repeats. */
    private static final int ECHO = 40;
    private static final int MAX_PATH = 120;

    private BoundedInput() {
    }

    /**
     * Checks every key, string and number of a parsed body, at any depth; {@code path} names the
     * first offending value in the error, e.g. {@code records[0].dimensions}.
     */
    static void check(JsonNode node, String path) {
        if (node.isTextual()) {
            text(node.textValue(), path);
        } else if (node.isNumber()) {
            number(node, path);
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                check(node.get(i), child(path, "[" + i + "]"));
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String named = child(path, (path.isEmpty() ? "" : ".") + echo(field.getKey()));
                text(field.getKey(), named);
                check(field.getValue(), named);
            }
        }
    }

    /** A path one level deeper, kept short however deep the body nests. */
    private static String child(String path, String step) {
        return path.length() > MAX_PATH ? path : path + step;
    }

    private static void number(JsonNode node, String field) {
        if (!node.isBigDecimal()) {
            // Whole numbers are at most a few dozen digits long (the parser's number length bound).
            return;
        }
        // The parser bounds the digits, not the exponent: look at scale and precision only, never at the plain text.
        BigDecimal value = node.decimalValue();
        int scale = value.scale();
        if (scale > Bounds.DECIMAL_DIGITS && value.stripTrailingZeros().scale() > Bounds.DECIMAL_DIGITS
                || (long) value.precision() - scale > Bounds.DECIMAL_DIGITS) {
            throw ApiException.badField("number_out_of_range", field, "Field '" + field + "' must be a number with at"
                    + " most " + Bounds.DECIMAL_DIGITS + " digits before and " + Bounds.DECIMAL_DIGITS
                    + " after the decimal point.");
        }
    }

    /**
     * The parts of a request read before its body: the query string's escapes must decode; path
     * parameters, query parameters and the {@code Idempotency-Key} header must be well-formed
     * text; and a body must be declared {@code application/json} (with or without
     * {@code charset=utf-8}) and be UTF-8, else {@code 415}.
     */
    static void request(Context ctx) {
        if (!wellEscaped(ctx.queryString())) {
            // The server drops a parameter it cannot decode: refuse it rather than answer as if it were absent.
            throw ApiException.badRequest("malformed_query",
                    "The query string has a '%' that is not followed by two hexadecimal digits.");
        }
        ctx.pathParamMap().forEach((name, value) -> text(value, name));
        ctx.queryParamMap().forEach((name, values) -> {
            text(name, "query parameter");
            values.forEach(value -> text(value, name));
        });
        text(ctx.header(RequestFields.IDEMPOTENCY_KEY), RequestFields.IDEMPOTENCY_KEY);
        byte[] body = ctx.bodyAsBytes();
        if (!blank(body) && (!isJson(ctx.header("Content-Type")) || utf16or32(body))) {
            throw new ApiException(415, "unsupported_media_type",
                    "A request body must be JSON in UTF-8, sent as 'Content-Type: application/json'.", Map.of());
        }
    }

    /** Whether every {@code %} of a query string starts an escape of two hexadecimal digits. */
    static boolean wellEscaped(String query) {
        if (query == null) {
            return true;
        }
        for (int i = query.indexOf('%'); i >= 0; i = query.indexOf('%', i + 1)) {
            if (i + 2 >= query.length() || Character.digit(query.charAt(i + 1), 16) < 0
                    || Character.digit(query.charAt(i + 2), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** {@code application/json}, in any case, with no parameter but an optional {@code charset=utf-8}. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.split(";", -1);
        if (!parts[0].strip().equalsIgnoreCase("application/json") || parts.length > 2) {
            return false;
        }
        if (parts.length == 1) {
            return true;
        }
        String parameter = parts[1].strip().replace("\"", "");
        return parameter.equalsIgnoreCase("charset=utf-8") || parameter.isEmpty();
    }

    /**
     * Whether a body is UTF-16 or UTF-32, which the JSON parser would otherwise detect and read:
     * a byte order mark of either, or a NUL byte, which UTF-8 JSON never contains unescaped.
     */
    static boolean utf16or32(byte[] body) {
        if (body.length >= 2 && ((body[0] & 0xff) == 0xfe && (body[1] & 0xff) == 0xff
                || (body[0] & 0xff) == 0xff && (body[1] & 0xff) == 0xfe)) {
            return true;
        }
        for (byte b : body) {
            if (b == 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether a body is empty or only whitespace, i.e. no body at all. */
    static boolean blank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    /** Refuses text that no storage keeps alike: NUL, and a UTF-16 surrogate without its pair. */
    static String text(String value, String field) {
        if (value != null && !wellFormed(value)) {
            throw ApiException.badField("invalid_text", echo(field), "'" + echo(field)
                    + "' contains a NUL character or an unpaired UTF-16 surrogate.");
        }
        return value;
    }

    static boolean wellFormed(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\0' || Character.isLowSurrogate(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    /** An instant in the years 1970–9999, else a 400 {@code invalid_timestamp}. */
    static Instant instant(Instant value, String field) {
        if (value.isBefore(Bounds.EARLIEST) || !value.isBefore(Bounds.AFTER_LATEST)) {
            throw ApiException.badField("invalid_timestamp", field,
                    "Field '" + field + "' must lie in the years 1970-9999.");
        }
        return value;
    }

    /** A counter of one request: 0 when absent, at most {@link #Bounds.MAX_COUNT}. */
    static long count(Long value, String field) {
        if (value != null && value > Bounds.MAX_COUNT) {
            throw ApiException.badField("number_out_of_range", field,
                    "Field '" + field + "' must be at most " + Bounds.MAX_COUNT + ".");
        }
        return value == null ? 0 : value;
    }

    /**
     * A JSON number that is a whole number from {@code min} to {@code max}, else a {@code 400
     * error} naming {@code field} that says what is wanted ({@code what} and the range, then
     * {@code beyond} when the number was out of it) and quotes what was sent.
     */
    static long whole(JsonNode value, String field, long min, long max, String what, String beyond, String error) {
        String wanted = "Field '" + field + "' must be " + what + " " + min + "-" + max;
        if (value == null || !value.isNumber()) {
            throw ApiException.badField(error, field, wanted + ".");
        }
        BigInteger whole;
        try {
            whole = value.decimalValue().toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw ApiException.badField(error, field, wanted + ", not " + echo(value.asText()) + ".");
        }
        if (whole.compareTo(BigInteger.valueOf(min)) < 0 || whole.compareTo(BigInteger.valueOf(max)) > 0) {
            throw ApiException.badField(error, field, wanted + beyond + ", not " + echo(whole.toString()) + ".");
        }
        return whole.longValueExact();
    }

    /** Client text as an error message may quote it: at most a few dozen characters. */
    static String echo(String value) {
        return echo(value, ECHO);
    }

    /**
     * At most {@code max} characters of {@code value}, never cutting a surrogate pair in two, with
     * NUL and unpaired surrogates shown as U+FFFD so that the answer itself is well-formed text.
     */
    static String echo(String value, int max) {
        if (value == null) {
            return null;
        }
        String cut = value.length() <= max ? value
                : value.substring(0, Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max) + "…";
        if (wellFormed(cut)) {
            return cut;
        }
        StringBuilder shown = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> shown.appendCodePoint(c == 0 || Character.isSurrogate((char) c) && c < 0x10000
                ? '\uFFFD' : c));
        return shown.toString();
    }
}
