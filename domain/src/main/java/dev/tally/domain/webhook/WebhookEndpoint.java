package dev.tally.domain.webhook;

import dev.tally.domain.DomainException;
import dev.tally.domain.event.EventType;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Where events are posted (R76): an {@code http} or {@code https} URL, the event types it
 * subscribes to ({@code *} for all), whether it is enabled, and the secret its deliveries are
 * signed with.
 *
 * @param events event type names, or just {@code *}
 */
public record WebhookEndpoint(String id, String url, List<String> events, boolean enabled, String secret,
                              Instant createdAt) {

    /** Subscribes to every event type. */
    public static final String ALL = "*";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    public WebhookEndpoint {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(createdAt, "createdAt");
        if (id == null || !ID.matcher(id).matches()) {
            throw DomainException.invalid("invalid_webhook_endpoint", "an endpoint id is 1-64 of A-Z a-z 0-9 _ . -");
        }
        uri(url);
        if (events == null || events.isEmpty()) {
            throw DomainException.invalid("invalid_webhook_endpoint", "events names at least one event type or \"*\"");
        }
        TreeSet<String> names = new TreeSet<>();
        for (String name : events) {
            if (!ALL.equals(name)) {
                EventType.parse(name);
            }
            names.add(name);
        }
        events = names.contains(ALL) ? List.of(ALL) : List.copyOf(names);
    }

    /** Whether events of {@code type} are delivered here while it is enabled. */
    public boolean subscribes(EventType type) {
        return events.contains(ALL) || events.contains(type.wireName());
    }

    /** This endpoint with another URL, events and state; its id, secret and creation stay. */
    public WebhookEndpoint changedTo(String url, List<String> events, boolean enabled) {
        return new WebhookEndpoint(id, url, events, enabled, secret, createdAt);
    }

    /**
     * {@code url} as a URI, when it is an absolute {@code http} or {@code https} URL with a host
     * and at most 2000 characters; {@code 400 invalid_webhook_url} otherwise (R77).
     */
    public static URI uri(String url) {
        if (url == null || url.length() > 2000) {
            throw invalidUrl("url is required and at most 2000 characters");
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw invalidUrl("url must be http or https: " + url);
            }
            if (uri.getHost() == null || uri.getUserInfo() != null) {
                throw invalidUrl("url needs a host and no user info: " + url);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw invalidUrl("url is not a URL: " + url);
        }
    }

    private static DomainException invalidUrl(String message) {
        return DomainException.invalid("invalid_webhook_url", message);
    }
}
