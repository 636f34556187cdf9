package dev.tally.domain.cost;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which provider served a call (R41): the provider as given when there is one; otherwise the
 * provider of the model in the price table; otherwise the first model-name prefix in a
 * configurable table that matches; otherwise {@code unknown}. Never an error.
 */
public final class ProviderDetector {

    /** The provider of calls nothing could be detected for. */
    public static final String UNKNOWN = "unknown";

    private final Map<String, String> providerByPrefix;

    /** A detector with these model-name prefixes (lower case), tried in order. */
    public ProviderDetector(Map<String, String> providerByPrefix) {
        this.providerByPrefix = new LinkedHashMap<>(providerByPrefix);
    }

    /** The prefixes Tally ships with. */
    public static ProviderDetector withDefaults() {
        Map<String, String> table = new LinkedHashMap<>();
        table.put("gpt-", "openai");
        table.put("o1", "openai");
        table.put("o3", "openai");
        table.put("o4", "openai");
        table.put("dall-e", "openai");
        table.put("whisper", "openai");
        table.put("tts-", "openai");
        table.put("text-embedding", "openai");
        table.put("claude", "anthropic");
        table.put("gemini", "google");
        table.put("imagen", "google");
        table.put("veo", "google");
        table.put("mistral", "mistral");
        table.put("mixtral", "mistral");
        table.put("llama", "meta");
        table.put("command", "cohere");
        table.put("stable-diffusion", "stability");
        table.put("sdxl", "stability");
        table.put("wavespeed", "wavespeed");
        table.put("tavily", "tavily");
        table.put("serper", "serper");
        table.put("exa", "exa");
        return new ProviderDetector(table);
    }

    /**
     * The provider of a call.
     *
     * @param given           the provider the caller named, if any
     * @param model           the model, if any
     * @param providerOfModel the provider the price table names for that model, if any
     */
    public String detect(Optional<String> given, Optional<String> model, Optional<String> providerOfModel) {
        Optional<String> named = given.map(String::strip).filter(p -> !p.isEmpty());
        if (named.isPresent()) {
            return named.get();
        }
        Optional<String> fromTable = providerOfModel.filter(p -> !p.isBlank() && !UNKNOWN.equals(p));
        if (fromTable.isPresent()) {
            return fromTable.get();
        }
        String name = model.map(m -> m.strip().toLowerCase(Locale.ROOT)).orElse("");
        if (name.isEmpty()) {
            return UNKNOWN;
        }
        return providerByPrefix.entrySet().stream()
                .filter(entry -> name.startsWith(entry.getKey()))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(UNKNOWN);
    }
}
