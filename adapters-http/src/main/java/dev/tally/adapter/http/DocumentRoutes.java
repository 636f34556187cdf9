package dev.tally.adapter.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The documents: the dashboard page at {@code /} and the OpenAPI document, which need no key, and
 * the Prometheus metrics, which need the admin key or the metrics token (R68). The page holds no
 * data of its own; it asks for a key and reads the API with it like any other client: with a user
 * key, the customer's page (the billing overview, a usage series per limited metric, runs, the
 * ledger); with the admin key, the operator's console (the list of users by worst metric, the plans).
 *
 * <p>The page's policy (R68) allows its own inline script and style by their SHA-256, computed here
 * from the page as shipped, so the page stays one file with no build step and no other script or
 * style can run in it.
 */
final class DocumentRoutes {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpMetrics metrics;
    private static final Pattern SCRIPT = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);
    private static final Pattern STYLE = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL);

    private final byte[] dashboard = resource("dashboard.html");
    private final String dashboardPolicy = pagePolicy(new String(dashboard, StandardCharsets.UTF_8));
    private final byte[] openApi = resource("openapi.json");

    DocumentRoutes(HttpMetrics metrics) {
        this.metrics = metrics;
    }

    void register(RouteTable routes) {
        routes.publicGet("/", ctx -> ctx.header("Content-Security-Policy", dashboardPolicy)
                .contentType("text/html; charset=utf-8").result(dashboard));
        routes.publicGet("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
        routes.metricsGet("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(metrics.scrape()));
    }

    /**
     * The page's policy: its inline scripts and styles by hash, images only as data URIs (its icon),
     * requests only to this server, and no framing.
     */
    static String pagePolicy(String page) {
        return "default-src 'none'; script-src " + hashes(SCRIPT, page) + "; style-src " + hashes(STYLE, page)
                + "; img-src data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    }

    private static String hashes(Pattern element, String page) {
        Matcher found = element.matcher(page);
        String sources = found.results().map(inline -> "'sha256-" + sha256(inline.group(1)) + "'")
                .collect(Collectors.joining(" "));
        return sources.isEmpty() ? "'none'" : sources;
    }

    private static String sha256(String text) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** A file shipped beside this class. */
    static byte[] resource(String name) {
        try (InputStream in = DocumentRoutes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
