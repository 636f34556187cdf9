package dev.tally.adapter.http;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A request the adapter itself refuses before any use case runs (a body that is not JSON, a
 * missing field, a query parameter that is not a number, a missing key), with the status and the
 * stable {@code error} code the client sees.
 */
final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A field path quoted in an error; longer ones come from hostile keys and are cut. */
    private static final int MAX_FIELD = 160;

    private final int status;
    private final String code;
    private final transient Map<String, Object> details;

    ApiException(int status, String code, String message, Map<String, Object> details) {
        super(message);
        this.status = status;
        this.code = code;
        // Made with Map.of, details have no order of their own: by name, the same on every server and run.
        this.details = Collections.unmodifiableMap(new TreeMap<>(details));
    }

    static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message, Map.of());
    }

    /** A 400 about one field of the body, named by its JSON path, e.g. {@code records[0].quantity}. */
    static ApiException badField(String code, String field, String message) {
        return new ApiException(400, code, message, Map.of("field", BoundedInput.echo(field, MAX_FIELD)));
    }

    static ApiException unauthorized() {
        return new ApiException(401, "unauthorized",
                "Send a valid API key as 'Authorization: Bearer <key>'.", Map.of());
    }

    static ApiException forbidden() {
        return new ApiException(403, "forbidden", "This operation needs an admin key.", Map.of());
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    Map<String, Object> details() {
        return details;
    }
}
