package dev.tally.adapter.http;

import dev.tally.domain.Bounds;
import dev.tally.domain.usage.IdempotencyKey;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks the fields a client sent (of a parsed body, the query parameters, the headers): a
 * missing, out-of-range or unreadable one ends here as a 400 with a specific code naming it,
 * before any use case runs, so a malformed request never changes anything.
 */
final class RequestFields {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private RequestFields() {
    }

    /** {@code value}, or a 400 {@code missing_field} naming {@code field}. */
    static <T> T required(T value, String field) {
        if (value == null) {
            throw ApiException.badField("missing_field", field, "Field '" + field + "' is required.");
        }
        return value;
    }

    /** A decimal the storage can hold: at most 10^15 either way, as the domain checks it too. */
    static BigDecimal number(BigDecimal value, String field) {
        if (value != null && value.abs().compareTo(Bounds.MAX_QUANTITY) > 0) {
            throw ApiException.badField("number_out_of_range", field,
                    "Field '" + field + "' must be at most " + Bounds.MAX_QUANTITY.toPlainString() + ".");
        }
        return value;
    }

    /** A whole number of credits within {@link Bounds#MAX_CREDITS} either way. */
    static long credits(Long value, String field) {
        long amount = required(value, field);
        if (Math.abs(amount) > Bounds.MAX_CREDITS) {
            throw ApiException.badField("number_out_of_range", field,
                    "Field '" + field + "' must be at most " + Bounds.MAX_CREDITS + " credits.");
        }
        return amount;
    }

    /** Optional text of at most {@code max} characters; longer text is refused, never truncated. */
    static String text(String value, String field, int max) {
        if (value != null && value.length() > max) {
            throw ApiException.badField("field_too_long", field,
                    "Field '" + field + "' must be at most " + max + " characters.");
        }
        return value;
    }

    /** Dimensions with a value for every name ({@code null} is not a value). */
    static Map<String, String> dimensions(Map<String, String> dimensions, String field) {
        if (dimensions != null && dimensions.containsValue(null)) {
            throw ApiException.badField("invalid_dimensions", field, "Every dimension of '" + field
                    + "' needs a string value.");
        }
        return dimensions;
    }

    /**
     * An ISO-8601 instant such as {@code 2026-11-01T00:00:00Z} (an offset is accepted too) in the
     * years 1970-9999 (R64): the one place every instant a client sends is read.
     */
    static Instant instant(String text, String field) {
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badField("invalid_timestamp", field,
                    "Field '" + field + "' must be an ISO-8601 instant such as 2026-11-01T00:00:00Z, not '"
                            + BoundedInput.echo(text) + "'.");
        }
        return BoundedInput.instant(instant, field);
    }

    /** The optional instant of the query parameter {@code at}. */
    static Optional<Instant> at(Context ctx) {
        return Optional.ofNullable(ctx.queryParam("at")).map(text -> instant(text, "at"));
    }

    /** A whole-number query parameter, or {@code fallback} when absent. */
    static int intQuery(Context ctx, String name, int fallback, String code) {
        String text = ctx.queryParam(name);
        if (text == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badField(code, name, "Query parameter '" + name + "' must be a whole number, not '"
                    + BoundedInput.echo(text) + "'.");
        }
    }

    /** A plain decimal: digits with an optional fraction and sign, never an exponent (R64). */
    private static final Pattern PLAIN_DECIMAL =
            Pattern.compile("-?[0-9]{1," + Bounds.DECIMAL_DIGITS + "}(\\.[0-9]{1,"
                    + Bounds.DECIMAL_DIGITS + "})?");

    /** A decimal query parameter such as {@code quantity=2.5}, or {@code fallback} when absent. */
    static BigDecimal decimalQuery(Context ctx, String name, BigDecimal fallback) {
        String text = ctx.queryParam(name);
        if (text == null) {
            return fallback;
        }
        if (!PLAIN_DECIMAL.matcher(text).matches()) {
            throw ApiException.badField("invalid_" + name, name, "Query parameter '" + name
                    + "' must be a plain decimal number such as 2 or 0.5, not '" + BoundedInput.echo(text) + "'.");
        }
        return new BigDecimal(text);
    }

    /** The optional {@code Idempotency-Key} header. */
    static Optional<IdempotencyKey> idempotencyKey(Context ctx) {
        return Optional.ofNullable(ctx.header(IDEMPOTENCY_KEY)).map(IdempotencyKey::new);
    }

    /** The {@code Idempotency-Key} header of a write that must carry one (R20). */
    static IdempotencyKey requiredIdempotencyKey(Context ctx) {
        return idempotencyKey(ctx).orElseThrow(() -> ApiException.badRequest("idempotency_key_required",
                "This write must carry an 'Idempotency-Key' header so that a retry is counted once."));
    }
}
