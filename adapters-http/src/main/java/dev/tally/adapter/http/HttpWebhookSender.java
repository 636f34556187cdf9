package dev.tally.adapter.http;

import dev.tally.application.port.WebhookSender;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Posts webhook deliveries with the JDK's {@link HttpClient} (R76): signed, with a
 * {@code Tally-Event-Id}, never following redirects (a redirect is not a 2xx, and could lead past
 * the URL guard), answered within {@link WebhookSender#TIMEOUT} or counted as failed.
 */
public final class HttpWebhookSender implements WebhookSender {

    private static final int MAX_ERROR = 300;

    private final HttpClient client;
    private final Clock clock;

    public HttpWebhookSender(Clock clock) {
        this.clock = clock;
        this.client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public Result send(URI url, String secret, String eventId, String body) {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header("User-Agent", "Tally-Webhooks/1")
                .header("Tally-Event-Id", eventId)
                .header("Tally-Signature", WebhookSignature.header(secret, clock.instant(), body))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        long started = System.nanoTime();
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            return new Result(OptionalInt.of(response.statusCode()), millisSince(started), Optional.empty());
        } catch (IOException e) {
            String error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            return new Result(OptionalInt.empty(), millisSince(started),
                    Optional.of(error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(OptionalInt.empty(), millisSince(started), Optional.of("interrupted"));
        }
    }

    private static long millisSince(long started) {
        return Duration.ofNanos(System.nanoTime() - started).toMillis();
    }
}
