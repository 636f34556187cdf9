package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.application.ManualClock;
import dev.tally.application.Tally;
import dev.tally.application.port.HostResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * A fuzz suite of webhook endpoint URLs (R77): an address that is not globally routable unicast,
 * written in every form a URL parser or resolver may read (decimal, octal, hex, short forms,
 * IPv6 with the IPv4 address embedded, zone ids, trailing dots, user info, fullwidth and other
 * Unicode, percent escapes, odd ports), is refused with {@code 400 invalid_webhook_url}, never a
 * 5xx, and the endpoints stay as they were; a routable address in its plain form is accepted.
 * Names answer from a table, so no DNS is asked. {@value HttpFuzzScenarios#DEFAULT_TRIES} tries per
 * run and backend; {@code -Dtally.fuzz.tries=5000} for more.
 */
public abstract class WebhookUrlFuzzScenarios {

    /** Addresses outside globally routable unicast, one of each kind. */
    private static final List<String> PRIVATE = List.of("127.0.0.1", "127.1.2.3", "10.0.0.1", "172.16.0.1",
            "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "0.1.2.3", "192.0.0.8", "192.0.2.2",
            "198.18.0.1", "198.51.100.7", "203.0.113.9", "224.0.0.1", "240.0.0.1", "255.255.255.255");
    private static final List<String> PUBLIC = List.of("93.184.215.14", "8.8.8.8", "1.1.1.1");
    /** The names the server's resolver knows, each with a private address. */
    private static final Map<String, String> NAMES = Map.of("localhost", "127.0.0.1", "intranet.example.com",
            "10.0.0.7", "metadata.example.com", "169.254.169.254", "rebind.example.com", "192.0.2.2",
            "v6.example.com", "::1");

    private StorageFixture storage;
    private TallyServer server;
    private ApiClient admin;
    private int sent;
    private int serverErrors;

    /** Where the data lives; in memory unless a subclass says otherwise. */
    protected StorageFixture storage() {
        return StorageFixture.inMemory();
    }

    @BeforeProperty
    void startServer() {
        storage = storage();
        HostResolver table = new HostResolver() {
            @Override
            public List<InetAddress> resolve(String host) throws UnknownHostException {
                String address = NAMES.get(host.toLowerCase(java.util.Locale.ROOT));
                if (address == null) {
                    throw new UnknownHostException(host);
                }
                return List.of(InetAddress.getByName(address));
            }

            @Override
            public List<InetAddress> ownAddresses() {
                return HostResolver.SYSTEM.ownAddresses();
            }
        };
        Tally tally = Tally.create(storage.open(), new ManualClock(Instant.parse("2026-10-15T12:00:00Z")),
                Tally.Settings.DEFAULTS.resolvingWebhookHostsWith(table));
        server = TallyServer.start(tally, ServerSettings.onPort(0), false);
        admin = new ApiClient(server.port(), tally.access().createAdminKey());
    }

    @AfterProperty
    void stopServer() {
        System.out.printf("Webhook URL fuzz (%s): %d requests, %d answered 5xx%n", getClass().getSimpleName(), sent,
                serverErrors);
        if (server != null) {
            server.close();
        }
        if (storage != null) {
            storage.close();
        }
    }

    @Property(shrinking = ShrinkingMode.BOUNDED)
    @AddLifecycleHook(HttpFuzzScenarios.Tries.class)
    void R77_a_url_of_a_private_address_in_any_form_is_refused_and_a_plain_public_one_accepted(
            @ForAll("urls") Url url) {
        JsonNode before = admin.get("/v1/webhook-endpoints").json();
        ApiClient.Response response = admin.put("/v1/webhook-endpoints/fuzzed",
                "{\"url\": " + Json.mapper().valueToTree(url.text()) + ", \"events\": [\"*\"]}");
        sent++;
        if (response.status() >= 500) {
            serverErrors++;
        }
        String label = url + " -> " + response.status() + " " + ApiClient.abbreviate(response.text());

        if (url.routable()) {
            assertThat(response.status()).as(label).isEqualTo(200);
            assertThat(admin.send("DELETE", "/v1/webhook-endpoints/fuzzed", null, Map.of()).status()).isEqualTo(200);
        } else {
            assertThat(response.status()).as(label).isEqualTo(400);
            assertThat(response.error()).as(label).isEqualTo("invalid_webhook_url");
            assertThat(admin.get("/v1/webhook-endpoints").json()).as(label).isEqualTo(before);
        }
    }

    /** A URL, and whether its host is a globally routable address written plainly. */
    record Url(String text, boolean routable) {
    }

    @Provide
    Arbitrary<Url> urls() {
        Arbitrary<String> scheme = Arbitraries.of("http://", "https://", "HTTP://", "hTTps://");
        Arbitrary<String> port = Arbitraries.of("", "", ":80", ":443", ":8080", ":0", ":65536", ":99999", ":-1",
                ":0080", ":");
        Arbitrary<String> rest = Arbitraries.of("/", "", "/hook", "/a/../b", "?x=1", "#f", "/%2e%2e/", "/\u00e9");
        Arbitrary<String> privateHost = Combinators.combine(Arbitraries.of(PRIVATE), Arbitraries.integers()
                .between(0, FORMS - 1)).as(WebhookUrlFuzzScenarios::form);
        Arbitrary<String> namedHost = Combinators.combine(Arbitraries.of(NAMES.keySet()),
                Arbitraries.of("", ".", "..")).as((name, dot) -> name + dot)
                .flatMap(name -> Arbitraries.of(name, name.toUpperCase(java.util.Locale.ROOT), fullwidth(name),
                        percentEncoded(name)));
        Arbitrary<String> userInfo = Arbitraries.of("", "", "", "user@", "user:pass@", "93.184.215.14@",
                "evil.com@", "a%40b@");
        Arbitrary<Url> refused = Combinators.combine(scheme, userInfo, Arbitraries.oneOf(privateHost, namedHost),
                port, rest).as((s, user, host, p, r) -> new Url(s + user + host + p + r, false));
        Arbitrary<Url> publicRefused = Combinators.combine(scheme, Arbitraries.of(PUBLIC),
                Arbitraries.integers().between(1, FORMS - 1), rest)
                .as((s, address, form, r) -> new Url(s + form(address, form) + r, false))
                .filter(url -> !url.text().contains("[::ffff:") && !url.text().contains("[64:ff9b::")
                        && !url.text().contains("[2002:"));
        Arbitrary<Url> accepted = Combinators.combine(scheme, Arbitraries.of(PUBLIC), Arbitraries.of("", ":8443"),
                Arbitraries.of("/", "/hook")).as((s, address, p, r) -> new Url(s + address + p + r, true));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, refused), net.jqwik.api.Tuple.of(2, publicRefused),
                net.jqwik.api.Tuple.of(1, accepted));
    }

    private static final int FORMS = 19;

    /** {@code address} written in form {@code n}: 0 is the plain dotted quad, the others what parsers disagree on. */
    private static String form(String address, int n) {
        int[] b = octets(address);
        long value = ((long) b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
        String hexPair1 = Integer.toHexString(b[0] << 8 | b[1]);
        String hexPair2 = Integer.toHexString(b[2] << 8 | b[3]);
        return switch (n) {
            case 0 -> address;
            case 1 -> Long.toString(value);
            case 2 -> join(b, "0%o");
            case 3 -> join(b, "0x%x");
            case 4 -> "0x" + Long.toHexString(value);
            case 5 -> b[0] + "." + b[1] + "." + (b[2] << 8 | b[3]);
            case 6 -> b[0] + "." + (b[1] << 16 | b[2] << 8 | b[3]);
            case 7 -> "[::ffff:" + address + "]";
            case 8 -> "[::ffff:" + hexPair1 + ":" + hexPair2 + "]";
            case 9 -> "[::" + address + "]";
            case 10 -> "[64:ff9b::" + address + "]";
            case 11 -> "[64:ff9b:1::" + hexPair1 + ":" + hexPair2 + "]";
            case 12 -> "[2002:" + hexPair1 + ":" + hexPair2 + "::1]";
            case 13 -> "[2001:0:4136:e378:8000:63bf:" + hexPair1 + ":" + hexPair2 + "]";
            case 14 -> address + ".";
            case 15 -> "[fe80::1%25eth0]";
            case 16 -> fullwidth(address);
            case 17 -> percentEncoded(address);
            default -> String.format("%03d.%03d.%03d.%03d", b[0], b[1], b[2], b[3]);
        };
    }

    private static int[] octets(String address) {
        String[] parts = address.split("\\.");
        int[] b = new int[4];
        for (int i = 0; i < 4; i++) {
            b[i] = Integer.parseInt(parts[i]);
        }
        return b;
    }

    private static String join(int[] b, String format) {
        return java.util.Arrays.stream(b).mapToObj(octet -> String.format(format, octet))
                .collect(Collectors.joining("."));
    }

    /** Digits, letters and dots in their fullwidth forms, which IDNA maps back to ASCII. */
    private static String fullwidth(String text) {
        StringBuilder wide = new StringBuilder();
        for (char c : text.toCharArray()) {
            wide.append(c == '.' ? '\uff0e' : c >= '!' && c <= '~' ? (char) (c - '!' + '\uff01') : c);
        }
        return wide.toString();
    }

    private static String percentEncoded(String text) {
        StringBuilder escaped = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            escaped.append(String.format("%%%02X", b & 0xff));
        }
        return escaped.toString();
    }
}
