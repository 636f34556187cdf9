package dev.tally.application.webhook;

import dev.tally.domain.DomainException;
import dev.tally.domain.webhook.WebhookEndpoint;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Keeps webhooks off the operator's own network (R77): an endpoint URL whose host is or resolves
 * to a loopback, link-local, private, unique-local, carrier-grade NAT, multicast or unspecified
 * address is refused, unless private webhooks are allowed (tests, a receiver beside the server).
 * Checked when an endpoint is saved and again before each attempt, so a name that later resolves
 * elsewhere is caught too.
 */
public final class UrlGuard {

    private final boolean allowPrivate;

    public UrlGuard(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** {@code url} when it may be posted to; {@code 400 invalid_webhook_url} otherwise. */
    public URI check(String url) {
        URI uri = WebhookEndpoint.uri(url);
        if (allowPrivate) {
            return uri;
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
                : uri.getHost();
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw DomainException.invalid("invalid_webhook_url", "host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            if (isPrivate(address)) {
                throw DomainException.invalid("invalid_webhook_url", "host " + host + " is a private address ("
                        + address.getHostAddress() + "); start the server with --allow-private-webhooks to allow it");
            }
        }
        return uri;
    }

    static boolean isPrivate(InetAddress address) {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            return (bytes[0] & 0xfe) == 0xfc; // fc00::/7, unique local
        }
        return (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64; // 100.64.0.0/10, carrier-grade NAT
    }
}
