package dev.tally.bootstrap;

import dev.tally.adapter.http.ServerSettings;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --metrics-token}, default {@code TALLY_METRICS_TOKEN}: what a scraper sends to read {@code /metrics} (R68). */
final class MetricsTokenOption {

    @Option(names = "--metrics-token", paramLabel = "TOKEN", defaultValue = "${env:TALLY_METRICS_TOKEN}",
            description = "a token (at least " + ServerSettings.MIN_METRICS_TOKEN_LENGTH + " characters) that reads"
                    + " /metrics and nothing else, for Prometheus; env TALLY_METRICS_TOKEN; without it only the admin"
                    + " key reads /metrics")
    String token;

    /** {@code settings} with the token, if one is set; one too short is a usage error. */
    ServerSettings on(ServerSettings settings, CommandLine.Model.CommandSpec spec) {
        Optional<String> configured = Optional.ofNullable(token).map(String::strip).filter(t -> !t.isEmpty());
        try {
            return settings.withMetricsToken(configured);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--metrics-token (TALLY_METRICS_TOKEN): " + e.getMessage());
        }
    }
}
