package dev.tally.bootstrap;

import dev.tally.domain.DomainException;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --admin-key}, default {@code TALLY_ADMIN_KEY}. */
final class AdminKeyOption {

    private static final int MIN_LENGTH = 16;

    @Option(names = "--admin-key", paramLabel = "KEY", defaultValue = "${env:TALLY_ADMIN_KEY}",
            description = "admin API key to install (at least 16 characters); env TALLY_ADMIN_KEY; a new one revokes"
                    + " the admin key it replaces; when unset and no admin key exists yet, one is generated and"
                    + " printed once")
    String adminKey;

    /** The configured key; one shorter than 16 characters is a usage error, not a stack trace. */
    Optional<String> value(CommandLine.Model.CommandSpec spec) {
        Optional<String> key = Optional.ofNullable(adminKey).map(String::strip).filter(k -> !k.isEmpty());
        if (key.filter(k -> k.length() < MIN_LENGTH).isPresent()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--admin-key (TALLY_ADMIN_KEY) must have at least " + MIN_LENGTH + " characters");
        }
        return key;
    }

    /**
     * Installs {@code configured} (from {@link #value}) in {@code app}, or generates a key when none
     * exists (see {@link TallyApp#ensureAdminKey}); a configured key that was revoked is a usage error.
     */
    static Optional<String> install(TallyApp app, Optional<String> configured, CommandLine.Model.CommandSpec spec) {
        try {
            return app.ensureAdminKey(configured);
        } catch (DomainException refused) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--admin-key (TALLY_ADMIN_KEY): " + refused.getMessage());
        }
    }
}
