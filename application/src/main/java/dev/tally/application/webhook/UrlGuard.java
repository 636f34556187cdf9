package dev.tally.application.webhook;

import dev.tally.application.port.HostResolver;
import dev.tally.application.port.WebhookSender;
import dev.tally.domain.DomainException;
import dev.tally.domain.webhook.WebhookEndpoint;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Keeps webhooks off the operator's own network (R77). An endpoint's host is resolved once per
 * check, and every address it has must be globally routable unicast ({@link GlobalUnicast}) and
 * none of this host's own; the addresses checked are the only ones an attempt connects to
 * ({@link WebhookSender.Target}), so a name that answers differently a moment later changes
 * nothing. Hosts that parsers read differently are refused as written: IPv4 in any form but four
 * decimal numbers (octal, hex, a single number, fewer parts), IPv6 zone ids, ports outside
 * 1-65535. With private webhooks allowed (tests, a receiver beside the server) only the address
 * rules are lifted; the connection is still made to the address checked.
 */
public final class UrlGuard {

    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern DOTTED_QUAD = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    /** A last label that a URL parser may read as a number (WHATWG's "ends in a number"). */
    private static final Pattern NUMERIC_LABEL = Pattern.compile("(?i)[0-9]+|0x[0-9a-f]*");

    private final boolean allowPrivate;
    private final HostResolver resolver;

    public UrlGuard(boolean allowPrivate) {
        this(allowPrivate, HostResolver.SYSTEM);
    }

    public UrlGuard(boolean allowPrivate, HostResolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    /** {@code url} when it may be posted to now; {@code 400 invalid_webhook_url} otherwise. */
    public URI check(String url) {
        return target(url).url();
    }

    /**
     * {@code url} with the addresses its host has now, each checked: where an attempt may connect;
     * {@code 400 invalid_webhook_url} when the URL or any of the addresses is refused.
     */
    public WebhookSender.Target target(String url) {
        URI uri = WebhookEndpoint.uri(url);
        if (uri.getPort() == 0 || uri.getPort() > 65_535) {
            throw refused("the port of " + uri.getHost() + " is outside 1-65535");
        }
        String host = uri.getHost();
        List<InetAddress> addresses = addresses(host);
        if (!allowPrivate) {
            List<InetAddress> own = resolver.ownAddresses();
            for (InetAddress address : addresses) {
                if (!GlobalUnicast.is(address)) {
                    throw refused("host " + host + " is not a globally routable address (" + address.getHostAddress()
                            + "); start the server with --allow-private-webhooks to allow it");
                }
                if (own.stream().anyMatch(mine -> Arrays.equals(mine.getAddress(), address.getAddress()))) {
                    throw refused("host " + host + " is an address of this server (" + address.getHostAddress() + ")");
                }
            }
        }
        return new WebhookSender.Target(uri, addresses);
    }

    private List<InetAddress> addresses(String host) {
        try {
            if (host.startsWith("[")) {
                String literal = host.substring(1, host.length() - 1);
                if (literal.contains("%")) {
                    throw refused("an IPv6 zone id names an interface of this host: " + host);
                }
                return List.of(InetAddress.getByName(literal));
            }
            String[] labels = (host.endsWith(".") ? host.substring(0, host.length() - 1) : host).split("\\.");
            if (NUMERIC_LABEL.matcher(labels[labels.length - 1]).matches()) {
                if (!DOTTED_QUAD.matcher(host).matches()) {
                    throw refused("write an IPv4 address as four decimal numbers without leading zeros: " + host);
                }
                return List.of(InetAddress.getByName(host));
            }
            List<InetAddress> resolved = resolver.resolve(host);
            if (resolved.isEmpty()) {
                throw new UnknownHostException(host);
            }
            return resolved;
        } catch (UnknownHostException e) {
            throw refused("host " + host + " does not resolve");
        }
    }

    private static DomainException refused(String message) {
        return DomainException.invalid("invalid_webhook_url", message);
    }
}
