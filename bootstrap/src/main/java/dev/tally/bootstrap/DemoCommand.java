package dev.tally.bootstrap;

import dev.tally.application.webhook.WebhookService;
import dev.tally.domain.webhook.WebhookEndpoint;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Loads the demo (plans, users and a month of usage) into the database and prints keys and curl
 * commands to try against {@code serve}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Load a demo plan, users and a month of usage; print keys and curl commands to try.")
final class DemoCommand implements Callable<Integer> {

    /** The webhook endpoint the demo creates (R76). */
    static final String DEMO_ENDPOINT = "demo";

    @Mixin
    PortOption port;

    @Mixin
    DatabaseOption database;

    @Mixin
    AdminKeyOption adminKey;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The fresh user keys of the demo users; keys are shown once, so new ones are made each time. */
    record Keys(String acme, String globex, boolean loaded) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Optional<String> configured = adminKey.value(spec);
        try (TallyApp app = TallyApp.open(database.dbUrl, Clock.systemUTC())) {
            Optional<String> generated = AdminKeyOption.install(app, configured, spec);
            out.println("Loading the demo (a month of usage, replayed through the use cases)…");
            out.flush();
            Keys keys = load(app);
            out.println(keys.loaded() ? "Demo data loaded into " + app.storageDescription() + "."
                    : "Demo data was already there; made new keys for its users.");
            generated.ifPresent(key -> printAdminKey(out, key));
            printTryIt(out, keys, generated, port.port);
            out.println("Start the API with: java -jar bootstrap/target/tally.jar serve");
        }
        return 0;
    }

    /** Loads the demo if it is missing and makes a key for each demo user. */
    static Keys load(TallyApp app) {
        boolean loaded = DemoData.load(app.tally().storage(), Clock.systemUTC());
        if (app.tally().webhooks().list().stream().noneMatch(e -> e.id().equals(DEMO_ENDPOINT))) {
            // Disabled, at a documentation address that the URL guard refuses (R77): nothing is ever sent
            // there, and enabling it takes a PUT with a real receiver's URL. Loaded into storage like the
            // rest of the demo, since the API would refuse such a URL.
            WebhookEndpoint nowhere = new WebhookEndpoint(DEMO_ENDPOINT, "http://192.0.2.1/tally-webhooks",
                    List.of(WebhookEndpoint.ALL), false, WebhookService.newSecret(), app.tally().clock().instant());
            app.tally().storage().webhooks().create(nowhere, WebhookService.MAX_ENDPOINTS);
        }
        return new Keys(app.tally().access().createUserKey(DemoData.ACME).key(),
                app.tally().access().createUserKey(DemoData.GLOBEX).key(), loaded);
    }

    static void printAdminKey(PrintWriter out, String key) {
        out.println();
        out.println("Generated an admin key. It is shown this once and stored only as a hash:");
        out.println("  export TALLY_ADMIN_KEY=" + key);
    }

    /** The keys as shell variables, and curl commands that show what Tally does. */
    static void printTryIt(PrintWriter out, Keys keys, Optional<String> adminKey, int port) {
        String base = "http://localhost:" + port;
        out.println();
        out.println("Demo users: acme (plan pro, a busy month) and globex (plan free, all 5 runs used).");
        out.println("  export ACME_KEY=" + keys.acme());
        out.println("  export GLOBEX_KEY=" + keys.globex());
        out.println();
        out.println("Try:");
        out.println("  # the billing overview every page reads (R50)");
        out.println("  curl -s -H \"Authorization: Bearer $ACME_KEY\" " + base + "/v1/users/acme/billing");
        out.println("  # a limit enforced: globex has used 5 of 5 runs -> 403 runs_limit_exceeded");
        out.println("  curl -s -X POST -H \"Authorization: Bearer $GLOBEX_KEY\" " + base
                + "/v1/users/globex/report-runs");
        out.println("  # a refund reflected in net usage: 7 spent, 5 refunded -> net 2");
        out.println("  curl -s -H \"Authorization: Bearer $GLOBEX_KEY\" " + base
                + "/v1/users/globex/credits/usage-by-operation");
        out.println("  # an enforced usage write over the limit of 50 exports -> 403 exports_limit_exceeded");
        out.println("  curl -s -X POST -H \"Authorization: Bearer $GLOBEX_KEY\" -H 'Content-Type: application/json' "
                + "-d '{\"enforce\": true, \"records\": [{\"metric\": \"exports\", \"quantity\": 60, "
                + "\"idempotency_key\": \"try-1\"}]}' " + base + "/v1/users/globex/usage");
        out.println("  # the dashboard page: open " + base + "/ and sign in with $ACME_KEY (the key names its user)");
        out.println("  # alerts: the events the demo's writes created (R75)");
        out.println("  curl -s -H \"Authorization: Bearer $ACME_KEY\" '" + base + "/v1/events?limit=5'");
        out.println("  # webhooks: endpoint '" + DEMO_ENDPOINT + "' points at nothing and is disabled; see the README"
                + " to point it at a receiver of yours");
        adminKey.ifPresent(key -> out.println("  # admin: every plan\n  curl -s -H \"Authorization: Bearer "
                + "$TALLY_ADMIN_KEY\" " + base + "/v1/plans"));
    }
}
