package dev.tally.application.webhook;

import dev.tally.domain.webhook.WebhookEndpoint;

/**
 * An endpoint as saved.
 *
 * @param created whether this call created it: only then is its secret shown
 */
public record SavedEndpoint(WebhookEndpoint endpoint, boolean created) {
}
