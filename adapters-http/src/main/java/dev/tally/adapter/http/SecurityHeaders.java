package dev.tally.adapter.http;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The headers every answer carries (R68), the page, the API and every error alike, including those
 * Jetty gives before a request reaches a route: a policy that lets an answer load nothing and be
 * framed by no one (against clickjacking of the console), no content sniffing, and no referrer.
 * The page replaces the policy with one that names its own script and style by hash
 * ({@link DocumentRoutes}).
 */
final class SecurityHeaders extends Handler.Wrapper {

    /** What an API answer may do in a browser: nothing. */
    static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /** Puts the headers on an answer's fields, replacing any there. */
    static void addTo(HttpFields.Mutable fields) {
        fields.put("Content-Security-Policy", API_POLICY);
        // For browsers that predate frame-ancestors.
        fields.put("X-Frame-Options", "DENY");
        fields.put("X-Content-Type-Options", "nosniff");
        fields.put("Referrer-Policy", "no-referrer");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        addTo(response.getHeaders());
        return super.handle(request, response, callback);
    }
}
