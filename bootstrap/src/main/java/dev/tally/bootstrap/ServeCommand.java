package dev.tally.bootstrap;

import dev.tally.adapter.http.ServerSettings;
import dev.tally.adapter.kafka.KafkaIngestSettings;
import dev.tally.application.Tally;
import dev.tally.domain.plan.MetricBound;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Runs the HTTP API (and, with {@code --kafka-bootstrap}, a consumer of usage from Kafka, R95) until
 * the process is told to stop (SIGTERM or Ctrl-C), then stops consuming after committing what it
 * wrote, stops accepting requests and lets those in flight finish before it exits.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the HTTP API.")
final class ServeCommand implements Callable<Integer> {

    @Mixin
    PortOption port;

    @Option(names = "--demo", description = "load the demo data first (if it is not there yet)")
    boolean demo;

    @Option(names = "--allow-private-webhooks",
            description = "let webhook URLs reach loopback, private and other addresses that are not globally routable"
                    + " (a receiver on this machine, tests)")
    boolean allowPrivateWebhooks;

    @Option(names = "--max-metrics-per-user", paramLabel = "N", defaultValue = "" + MetricBound.DEFAULT_MAX,
            description = "distinct metrics a user may record per billing period when its plan sets no max_metrics"
                    + " (0-" + MetricBound.LARGEST + "; declared metrics always fit); default: ${DEFAULT-VALUE}")
    int maxMetricsPerUser;

    @Mixin
    DatabaseOption database;

    @Mixin
    AdminKeyOption adminKey;

    @Mixin
    ClientLimitsOption clientLimits;

    @Mixin
    MetricsTokenOption metricsToken;

    @Mixin
    KafkaOption kafka;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (port.port < 0 || port.port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 0-65535: " + port.port);
        }
        AppConfig config = new AppConfig(port.port, database.dbUrl, adminKey.value(spec));
        ServerSettings settings = metricsToken.on(clientLimits.on(config.port(), spec), spec);
        if (maxMetricsPerUser < 0 || maxMetricsPerUser > MetricBound.LARGEST) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-metrics-per-user must be 0-"
                    + MetricBound.LARGEST + ": " + maxMetricsPerUser);
        }
        Optional<KafkaIngestSettings> ingest = kafka.settings(spec);
        TallyApp app = TallyApp.open(config.dbUrl(), Clock.systemUTC(),
                Tally.Settings.DEFAULTS.allowingPrivateWebhooks(allowPrivateWebhooks)
                        .withMaxMetricsPerUser(maxMetricsPerUser));
        Optional<String> generated;
        try {
            generated = AdminKeyOption.install(app, config.adminKey(), spec);
        } catch (RuntimeException refused) {
            app.close();
            throw refused;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM and Ctrl-C run this: stop accepting, finish requests in flight, close storage.
        Thread shutdown = new Thread(() -> {
            out.println("Stopping: finishing requests in flight…");
            out.flush();
            app.close();
            stopped.countDown();
        }, "tally-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);

        if (demo) {
            out.println("Loading the demo (a month of usage, replayed through the use cases)…");
            out.flush();
        }
        Optional<DemoCommand.Keys> demoKeys = demo ? Optional.of(DemoCommand.load(app)) : Optional.empty();
        int listening = app.serve(settings);
        ingest.ifPresent(consume -> {
            app.consume(consume);
            out.println("Consuming usage from Kafka topic " + consume.topic() + " (group " + consume.group()
                    + ", dead letters to " + consume.deadLetterTopic() + ")");
        });

        out.println("Tally is listening on http://localhost:" + listening + "/  (storage: "
                + app.storageDescription() + ")");
        generated.ifPresent(key -> DemoCommand.printAdminKey(out, key));
        if (generated.isEmpty() && config.adminKey().isEmpty()) {
            out.println();
            out.println("The admin key is the one printed when this storage first started (TALLY_ADMIN_KEY then);"
                    + " it is stored only as a hash. To replace it: serve --admin-key <new key>.");
        }
        demoKeys.ifPresent(keys -> DemoCommand.printTryIt(out, keys, generated, listening));
        out.println("Health: http://localhost:" + listening + "/v1/health   API: http://localhost:" + listening
                + "/openapi.json   Stop with Ctrl-C.");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException interrupted) {
            // Embedded use (tests): an interrupt stops the server like a signal would.
            Runtime.getRuntime().removeShutdownHook(shutdown);
            app.close();
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
