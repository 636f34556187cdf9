package dev.tally.bootstrap.bench;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Drives a load shape with {@code wrk} and docs/bench/tally.lua: one wrk thread per connection,
 * connection {@code i} writing as user {@code i} modulo the users.
 */
final class WrkLoad {

    private static final Pattern SUMMARY = Pattern.compile("tally-wrk requests=(\\d+) duration_us=(\\d+) "
            + "errors=(\\d+) status_errors=(\\d+) p50_us=(\\d+) p99_us=(\\d+)");

    private WrkLoad() {
    }

    /**
     * Runs {@code shape} against {@code base} for {@code seconds}, each connection sending as soon
     * as it has its answer, or with {@code rate > 0} paced to {@code rate} requests/s in all.
     */
    static HttpLoad.Result run(BenchScripts scripts, URI base, List<HttpLoad.Target> targets, HttpLoad.Shape shape,
                               int connections, int seconds, String run, double rate)
            throws IOException, InterruptedException {
        List<String> command = List.of("wrk", "-t", String.valueOf(connections),
                "-c", String.valueOf(connections), "-d", seconds + "s", "--timeout", "10s",
                "-s", scripts.path(BenchScripts.WRK).toString(), base.toString());
        String users = targets.stream().map(t -> t.user() + " " + t.key()).collect(Collectors.joining(","));
        LocalProcess.Outcome outcome = LocalProcess.run(command,
                Map.of("TALLY_MODE", shape.mode(), "TALLY_USERS", users, "TALLY_RUN", run,
                        "TALLY_RATE", String.format(Locale.ROOT, "%.1f", Math.max(0, rate)),
                        "TALLY_CONNECTIONS", String.valueOf(connections)),
                Duration.ofSeconds(seconds + 30L));
        Matcher summary = SUMMARY.matcher(outcome.output());
        if (outcome.exitCode() != 0 || !summary.find()) {
            throw new IOException("wrk failed (exit " + outcome.exitCode() + "): " + outcome.output().strip());
        }
        long errors = Long.parseLong(summary.group(3)) + Long.parseLong(summary.group(4));
        return new HttpLoad.Result(shape.name(), Long.parseLong(summary.group(1)), errors,
                Duration.ofNanos(Long.parseLong(summary.group(2)) * 1000), shape.recordsPerRequest(),
                errors == 0 ? null : "wrk counted errors (connect, read, write, timeout or status other than 2xx/3xx)",
                Long.parseLong(summary.group(5)), Long.parseLong(summary.group(6)));
    }
}
