package dev.tally.application.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.application.port.HostResolver;
import dev.tally.application.port.WebhookSender;
import dev.tally.domain.DomainException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which webhook URLs the guard lets through without --allow-private-webhooks, and where they may connect (R77). */
class UrlGuardTest {

    private static final String PUBLIC = "93.184.215.14";

    /** Names answer from a table (no DNS is asked); this host's own addresses are the real ones plus {@code own}. */
    private static HostResolver table(Map<String, String> names, String... own) {
        return new HostResolver() {
            @Override
            public List<InetAddress> resolve(String host) throws UnknownHostException {
                String address = names.get(host);
                if (address == null) {
                    throw new UnknownHostException(host);
                }
                return List.of(InetAddress.getByName(address));
            }

            @Override
            public List<InetAddress> ownAddresses() {
                List<InetAddress> mine = new java.util.ArrayList<>(HostResolver.SYSTEM.ownAddresses());
                for (String address : own) {
                    mine.add(literal(address));
                }
                return mine;
            }
        };
    }

    private final UrlGuard strict = new UrlGuard(false, table(Map.of("hooks.example.com", PUBLIC,
            "localhost", "127.0.0.1", "xn--ocalhost-g5c.example", "127.0.0.1", "intranet.example.com", "10.0.0.7")));

    private static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static String verdict(UrlGuard guard, String url) {
        try {
            guard.check(url);
            return "accepted";
        } catch (DomainException e) {
            return e.code();
        }
    }

    @Test
    void R77_special_purpose_ipv4_and_ipv6_addresses_are_refused() {
        List<String> special = List.of("http://192.0.2.2/", "http://198.18.0.1/", "http://198.19.255.254/",
                "http://240.0.0.1/", "http://255.255.255.255/", "http://0.1.2.3/", "http://[64:ff9b::7f00:1]/",
                "http://[2002:7f00:1::1]/", "http://[::127.0.0.1]/", "http://198.51.100.7/", "http://203.0.113.9/",
                "http://192.0.0.8/", "http://192.88.99.1/", "http://[2001:db8::1]/", "http://[2001::1]/",
                "http://[64:ff9b:1::a00:1]/", "http://[::ffff:10.0.0.1]/", "http://[100::1]/",
                "http://[3fff::1]/", "http://[ff02::1]/", "http://[fec0::1]/", "http://[2002:c000:0201::1]/",
                "http://127.0.0.1/", "http://10.1.2.3/", "http://172.31.0.1/", "http://192.168.1.1/",
                "http://169.254.169.254/", "http://100.100.100.200/", "http://224.0.0.1/", "http://0.0.0.0/",
                "http://[::]/", "http://[::1]/", "http://[fd00::1]/", "http://[fe80::1]/",
                "http://[0:0:0:0:0:ffff:7f00:1]/", "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/");

        assertThat(special).allSatisfy(url ->
                assertThat(verdict(strict, url)).as(url).isEqualTo("invalid_webhook_url"));
    }

    @Test
    void R77_addresses_written_in_forms_parsers_read_differently_are_refused() {
        List<String> forms = List.of("http://2130706433/", "http://0177.0.0.1/", "http://0x7f.1/", "http://127.1/",
                "http://0x7f000001/", "http://127.0.0.01/", "http://017700000001/", "http://127.0.0.1./",
                "http://0/", "http://[fe80::1%25eth0]/", "http://[fe80::1%eth0]/", "http://[2606:4700::1%25lo]/",
                "http://evil@127.0.0.1/", "http://user:pass@hooks.example.com/", "http://ⓛocalhost/",
                "http://xn--ocalhost-g5c.example/", "http://%31%32%37.0.0.1/", "http://localhost/",
                "http://LOCALHOST./", "http://intranet.example.com/", "http://hooks.example.com:0/",
                "http://hooks.example.com:99999/", "http://nowhere.example.com/", "http://93.184.215.014/",
                "gopher://hooks.example.com/", "http:///path", "http://[::1]:80/");

        assertThat(forms).allSatisfy(url -> assertThat(verdict(strict, url)).as(url).isEqualTo("invalid_webhook_url"));
    }

    @Test
    void R77_globally_routable_addresses_and_names_that_resolve_to_them_are_accepted() {
        List<String> routable = List.of("https://hooks.example.com/tally", "http://" + PUBLIC + ":8443/x",
                "https://[2606:2800:220:1:248:1893:25c8:1946]/", "http://[64:ff9b::5db8:d70e]/",
                "http://[::ffff:93.184.215.14]/", "http://[2002:5db8:d70e::1]/", "http://8.8.8.8/", "http://1.1.1.1/");

        assertThat(routable).allSatisfy(url -> assertThat(verdict(strict, url)).as(url).isEqualTo("accepted"));
    }

    @Test
    void R77_an_address_of_this_hosts_own_interfaces_is_refused_even_when_routable() throws Exception {
        UrlGuard onThisHost = new UrlGuard(false, table(Map.of("me.example.com", "8.8.4.4"), "8.8.4.4"));
        List<String> mine = NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                .filter(a -> !a.isLinkLocalAddress()).map(a -> a.getHostAddress().contains(":")
                        ? "http://[" + a.getHostAddress() + "]/" : "http://" + a.getHostAddress() + "/").toList();

        assertThat(verdict(onThisHost, "http://8.8.4.4/")).isEqualTo("invalid_webhook_url");
        assertThat(verdict(onThisHost, "http://me.example.com/")).isEqualTo("invalid_webhook_url");
        assertThat(verdict(strict, "http://8.8.4.4/")).isEqualTo("accepted");
        assertThat(mine).isNotEmpty().allSatisfy(url -> assertThat(verdict(strict, url)).as(url)
                .isEqualTo("invalid_webhook_url"));
    }

    @Test
    void R77_a_target_is_the_addresses_of_one_resolution_each_checked() {
        Deque<String> answers = new ArrayDeque<>(List.of(PUBLIC, "127.0.0.1"));
        UrlGuard guard = new UrlGuard(false, new HostResolver() {
            @Override
            public List<InetAddress> resolve(String host) {
                return List.of(literal(answers.isEmpty() ? "127.0.0.1" : answers.poll()));
            }

            @Override
            public List<InetAddress> ownAddresses() {
                return List.of();
            }
        });

        WebhookSender.Target first = guard.target("https://rebinding.example.com/hook");

        assertThat(first.addresses()).containsExactly(literal(PUBLIC));
        assertThat(first.url().getHost()).isEqualTo("rebinding.example.com");
        assertThatThrownBy(() -> guard.target("https://rebinding.example.com/hook"))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.getMessage()).contains("127.0.0.1"));
    }

    @Test
    void R77_with_private_webhooks_allowed_loopback_is_accepted_and_still_pinned_to_its_address() {
        UrlGuard open = new UrlGuard(true, table(Map.of("localhost", "127.0.0.2")));

        assertThat(open.target("http://localhost:8080/hook").addresses()).containsExactly(literal("127.0.0.2"));
        assertThat(verdict(open, "http://127.1/")).isEqualTo("invalid_webhook_url");
    }
}
