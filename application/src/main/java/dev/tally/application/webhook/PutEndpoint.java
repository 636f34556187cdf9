package dev.tally.application.webhook;

import java.util.List;
import java.util.Optional;

/**
 * Create or replace a webhook endpoint (R76, admin).
 *
 * @param enabled default true
 */
public record PutEndpoint(String id, String url, List<String> events, Optional<Boolean> enabled) {
}
