package dev.tally.adapter.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers before a request reaches Javalin (a path that cannot be decoded, a
 * malformed request line or version, headers too large) get the same JSON body as every other
 * error, with a code that says what was wrong, instead of Jetty's HTML page, and the headers of
 * every answer ({@link SecurityHeaders}).
 */
final class JsonErrorHandler extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause,
                                    Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        SecurityHeaders.addTo(response.getHeaders());
        RequestIds.addTo(request, response.getHeaders());
        response.write(true, ByteBuffer.wrap(body(status, message)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        SecurityHeaders.addTo(fields);
        // Refused before any handler saw it: a request that never got an id gets one now.
        RequestIds.addTo(null, fields);
        return ByteBuffer.wrap(body(status, reason));
    }

    static byte[] body(int status, String reason) {
        return body(codeOf(status), reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason);
    }

    static byte[] body(String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        try {
            return Json.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of two strings always serialises", e);
        }
    }

    /**
     * The code of a status Jetty answers on its own. These are all about what the client sent
     * (a 505 is an HTTP/0.9 request line, a 501 a transfer coding Jetty does not know), so only a
     * plain 500 is a fault of the server.
     */
    private static String codeOf(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 408 -> "request_timeout";
            case 413 -> "request_too_large";
            case 414 -> "uri_too_long";
            case 431 -> "headers_too_large";
            case 501 -> "not_implemented";
            case 503 -> "service_unavailable";
            case 505 -> "http_version_not_supported";
            default -> status == 500 ? "internal_error" : "http_" + status;
        };
    }
}
