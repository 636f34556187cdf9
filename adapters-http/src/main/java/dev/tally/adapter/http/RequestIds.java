package dev.tally.adapter.http;

import io.javalin.http.Context;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.MDC;

/**
 * Every answer carries a {@code Request-Id}, so that support can follow one request from a
 * customer's complaint to the log and the audit log (R93): the client's own when it is a short
 * token of letters, digits, {@code .}, {@code _} and {@code -} (up to {@value #MAX_LENGTH}), or
 * one made here. While a request is handled, the id is in the logging context (SLF4J MDC, key
 * {@value #MDC_KEY}) of the thread handling it.
 */
final class RequestIds extends Handler.Wrapper {

    static final String HEADER = "Request-Id";
    static final String MDC_KEY = "request_id";
    static final int MAX_LENGTH = 128;

    private static final String ATTRIBUTE = RequestIds.class.getName();
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String id = accepted(request.getHeaders().get(HEADER));
        request.setAttribute(ATTRIBUTE, id);
        response.getHeaders().put(HEADER, id);
        MDC.put(MDC_KEY, id);
        try {
            return super.handle(request, response, callback);
        } finally {
            MDC.remove(MDC_KEY);
        }
    }

    /** The client's id if it is a safe token, else a new one. */
    static String accepted(String sent) {
        return sent != null && SAFE.matcher(sent).matches() ? sent : generated();
    }

    private static String generated() {
        return "req_" + UUID.randomUUID().toString().replace("-", "");
    }

    /**
     * The id of a request Jetty answers on its own (an error page), put back on the answer's
     * fields; a request refused before this handler saw it gets one now.
     */
    static void addTo(Request request, HttpFields.Mutable fields) {
        Object id = request == null ? null : request.getAttribute(ATTRIBUTE);
        fields.put(HEADER, id == null ? generated() : id.toString());
    }

    /** The id of the request {@code ctx} handles. */
    static String of(Context ctx) {
        String id = ctx.res().getHeader(HEADER);
        return id == null ? accepted(null) : id;
    }
}
