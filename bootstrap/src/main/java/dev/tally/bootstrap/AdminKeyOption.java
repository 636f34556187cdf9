package dev.tally.bootstrap;

import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --admin-key}, default {@code TALLY_ADMIN_KEY}. */
final class AdminKeyOption {

    @Option(names = "--admin-key", paramLabel = "KEY", defaultValue = "${env:TALLY_ADMIN_KEY}",
            description = "admin API key to install (at least 16 characters); env TALLY_ADMIN_KEY; when unset and"
                    + " no admin key exists yet, one is generated and printed once")
    String adminKey;

    Optional<String> value() {
        return Optional.ofNullable(adminKey).map(String::strip).filter(key -> !key.isEmpty());
    }
}
