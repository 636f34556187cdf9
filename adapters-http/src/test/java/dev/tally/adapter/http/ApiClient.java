package dev.tally.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A small JSON client of the real server, as an API client would use it. Every exchange is judged
 * against the server's OpenAPI document ({@link OpenApiContract}): an answer the document does not
 * describe, or a request it refuses that the server accepted, fails the test that made it.
 */
public final class ApiClient {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Every answer the tests wait for is due in well under this. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String base;
    private final String key;

    public ApiClient(int port, String key) {
        this("http://127.0.0.1:" + port, key);
    }

    private ApiClient(String base, String key) {
        this.base = base;
        this.key = key;
    }

    /** The key this client sends, or {@code null}. */
    public String key() {
        return key;
    }

    /** The same server with another key ({@code null} for none). */
    public ApiClient withKey(String otherKey) {
        return new ApiClient(base, otherKey);
    }

    public Response get(String path) {
        return send("GET", path, null, Map.of());
    }

    public Response post(String path, String json) {
        return send("POST", path, json, Map.of());
    }

    public Response post(String path, String json, String idempotencyKey) {
        return send("POST", path, json, Map.of("Idempotency-Key", idempotencyKey));
    }

    public Response put(String path, String json) {
        return send("PUT", path, json, Map.of());
    }

    public Response send(String method, String path, String body, Map<String, String> headers) {
        return sendBytes(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** Sends these exact bytes as the body. */
    public Response sendBytes(String method, String path, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null && headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
            request.header("Content-Type", "application/json");
        }
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        headers.forEach(request::header);
        try {
            HttpRequest sent = request.build();
            HttpResponse<String> response = HTTP.send(sent, HttpResponse.BodyHandlers.ofString());
            return judged(method, path, sent.headers().map(), body, new Response(response.statusCode(),
                    response.body(), response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().map()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An answer: status, raw text, headers and the body parsed as JSON when it is JSON. */
    public record Response(int status, String text, String contentType, Map<String, List<String>> headers) {

        /** The first value of a header, whatever its case, or null. */
        public String header(String name) {
            return headers.entrySet().stream().filter(header -> header.getKey().equalsIgnoreCase(name))
                    .map(header -> header.getValue().get(0)).findFirst().orElse(null);
        }

        public JsonNode json() {
            try {
                return MAPPER.readTree(text);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + text, e);
            }
        }

        public String error() {
            return json().path("error").asText();
        }

        public String message() {
            return json().path("message").asText();
        }

        @Override
        public String toString() {
            return status + " " + abbreviate(text);
        }
    }

    /** At most 300 characters of an answer, and its length when it was longer. */
    public static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "… (" + text.length() + " chars)" : text;
    }

    /** A GET whose path and query go out byte for byte as written, even where no URI class would let them. */
    public Response rawGet(String pathAndQuery) {
        URI server = URI.create(base);
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + server.getHost() + "\r\n"
                    + (key == null ? "" : "Authorization: Bearer " + key + "\r\n") + "Connection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = answer.indexOf("\r\n\r\n");
            List<String> head = answer.substring(0, end).lines().toList();
            String body = answer.substring(end + 4);
            if (header(head, "Transfer-Encoding").equalsIgnoreCase("chunked")) {
                body = unchunk(body);
            }
            Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
            head.stream().skip(1).filter(line -> line.indexOf(':') > 0).forEach(line -> headers.computeIfAbsent(
                    line.substring(0, line.indexOf(':')), name -> new java.util.ArrayList<>())
                    .add(line.substring(line.indexOf(':') + 1).strip()));
            return judged("GET", pathAndQuery, key == null ? Map.of() : Map.of("Authorization", List.of("Bearer " + key)),
                    null, new Response(Integer.parseInt(head.get(0).substring(9, 12)), body,
                            header(head, "Content-Type"), headers));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The answer, once the OpenAPI document agrees with the exchange; else the test fails, saying where. */
    private static Response judged(String method, String target, Map<String, List<String>> requestHeaders, byte[] body,
                                   Response response) {
        List<String> problems = OpenApiContract.SERVED.problems(new OpenApiContract.Exchange(method, target,
                requestHeaders, body, response.status(), response.headers(), response.text()));
        if (!problems.isEmpty()) {
            throw new AssertionError(method + " " + abbreviate(target) + " answered " + response.status()
                    + ", which /openapi.json does not describe:\n  " + String.join("\n  ", problems)
                    + (body == null ? "" : "\nrequest body: " + abbreviate(new String(body, StandardCharsets.UTF_8)))
                    + "\nresponse body: " + abbreviate(response.text()));
        }
        return response;
    }

    private static String header(List<String> head, String name) {
        return head.stream().filter(line -> line.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                .map(line -> line.substring(name.length() + 1).strip()).findFirst().orElse("");
    }

    private static String unchunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).strip(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
