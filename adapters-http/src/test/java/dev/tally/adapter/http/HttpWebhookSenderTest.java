package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.port.WebhookSender;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP sender against real receivers on loopback (R77): it connects to the address it was
 * given, never to where the URL's name resolves now, and an attempt ends within its timeout
 * whatever the receiver does with the body of its answer.
 */
class HttpWebhookSenderTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final HttpWebhookSender sender = new HttpWebhookSender(Clock.systemUTC(), TIMEOUT);
    private final List<WebhookReceiver> receivers = new java.util.ArrayList<>();

    @AfterEach
    void stop() {
        sender.close();
        receivers.forEach(WebhookReceiver::close);
    }

    private WebhookReceiver receiver(String address, int port) throws Exception {
        WebhookReceiver receiver = new WebhookReceiver(new InetSocketAddress(InetAddress.getByName(address), port));
        receivers.add(receiver);
        return receiver;
    }

    private WebhookSender.Result send(String url, String address) throws Exception {
        return sender.send(new WebhookSender.Target(URI.create(url), List.of(InetAddress.getByName(address))),
                "whsec_test", "evt_1", "{\"id\":\"evt_1\"}");
    }

    @Test
    void R77_the_connection_goes_to_the_checked_address_not_to_where_the_name_resolves_now() throws Exception {
        WebhookReceiver checked = receiver("127.0.0.2", 0);
        // localhost resolves to 127.0.0.1 here: a client that resolved the name again would land on this one.
        WebhookReceiver elsewhere = receiver("127.0.0.1", checked.port());

        WebhookSender.Result result = send("http://localhost:" + checked.port() + "/hook", "127.0.0.2");

        assertThat(result.statusCode()).hasValue(200);
        assertThat(checked.received()).hasSize(1);
        assertThat(checked.received().get(0).host()).isEqualTo("localhost:" + checked.port());
        assertThat(elsewhere.received()).isEmpty();
    }

    @Test
    void R77_a_body_trickled_byte_by_byte_ends_the_attempt_at_its_timeout() throws Exception {
        WebhookReceiver trickling = receiver("127.0.0.1", 0).then(new WebhookReceiver.Trickle(600,
                Duration.ofSeconds(1)));

        WebhookSender.Result result = send("http://127.0.0.1:" + trickling.port() + "/hook", "127.0.0.1");

        assertThat(result.statusCode()).hasValue(200);
        assertThat(result.latencyMs()).isBetween(TIMEOUT.toMillis(), TIMEOUT.toMillis() + 1_500);
        assertThat(result.error()).hasValueSatisfying(error -> assertThat(error).contains("body was cut off"));
    }

    @Test
    void R77_a_large_body_is_read_only_up_to_its_cap() throws Exception {
        WebhookReceiver talkative = receiver("127.0.0.1", 0).then(new WebhookReceiver.Trickle(10_000_000,
                Duration.ZERO));

        WebhookSender.Result result = send("http://127.0.0.1:" + talkative.port() + "/hook", "127.0.0.1");

        assertThat(result.statusCode()).hasValue(200);
        assertThat(result.error()).isEmpty();
        assertThat(result.latencyMs()).isLessThan(TIMEOUT.toMillis());
    }

    @Test
    void R77_a_receiver_that_never_answers_is_given_up_at_the_timeout() throws Exception {
        WebhookReceiver silent = receiver("127.0.0.1", 0).then(new WebhookReceiver.Slow(Duration.ofSeconds(30), 200));

        WebhookSender.Result result = send("http://127.0.0.1:" + silent.port() + "/hook", "127.0.0.1");

        assertThat(result.statusCode()).isEmpty();
        assertThat(result.latencyMs()).isBetween(TIMEOUT.toMillis(), TIMEOUT.toMillis() + 1_500);
        assertThat(result.error()).isPresent();
    }
}
