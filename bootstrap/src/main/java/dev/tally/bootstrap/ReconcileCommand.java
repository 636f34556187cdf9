package dev.tally.bootstrap;

import dev.tally.application.port.CreditReconcileReport;
import dev.tally.application.port.ReconcileProgress;
import dev.tally.application.port.ReconcileReport;
import java.io.PrintWriter;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.LateEventPolicy;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Recomputes every usage rollup from the recorded facts and reports drift (R10), and every
 * meter's rollups of the periods inside the late-event window, their maxima, latest values,
 * distinct sets and groups included (R84); with {@code --repair}, overwrites drifted rollups.
 * {@code --meter KEY} recomputes that meter alone and writes it: the backfill of a meter defined
 * after its source had records. It checks the credit ledger too: every balance against its
 * entries, every grant's remainder against its draws, refunds and expiry, and that no draw came
 * from an expired grant (R30–R36); those drifts are reported, never repaired. Exits 3 when drift
 * was found and not repaired, so
 * a scheduled job can alert on it.
 */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
        description = "Recompute usage rollups from the recorded facts and report drift.")
final class ReconcileCommand implements Callable<Integer> {

    static final int DRIFT_FOUND = 3;
    private static final int SHOWN_DRIFTS = 20;
    private static final int BAR_WIDTH = 30;

    @Option(names = "--repair", description = "overwrite drifted rollups with the recomputed values")
    boolean repair;

    @Option(names = "--meter", paramLabel = "KEY",
            description = "recompute this meter from the stored facts inside the late-event window and write it")
    String meter;

    @Mixin
    DatabaseOption database;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (TallyApp app = TallyApp.open(database.dbUrl, Clock.systemUTC())) {
            // A progress bar only where a person watches; logs and pipes get the summary alone.
            ReconcileProgress progress = System.console() != null ? bar(out) : ReconcileProgress.NONE;
            Instant since = app.tally().clock().instant().minus(LateEventPolicy.DEFAULT.lateWindow());
            if (meter != null) {
                MetricKey key = new MetricKey(meter);
                app.tally().meters().get(key);
                ReconcileReport backfill = app.tally().storage().usage().reconcileMeters(Optional.of(key), since, true);
                summarize(out, backfill, "rollups of meter " + key);
                return 0;
            }
            ReconcileReport report = app.tally().storage().usage().reconcile(repair, progress);
            if (progress != ReconcileProgress.NONE) {
                out.println();
            }
            summarize(out, report);
            ReconcileReport meters = app.tally().storage().usage().reconcileMeters(Optional.empty(), since, repair);
            summarize(out, meters, "meter rollups");
            CreditReconcileReport credits = app.tally().storage().credits().reconcile();
            summarize(out, credits);
            boolean clean = report.drifts().isEmpty() && meters.drifts().isEmpty();
            // Credit drifts are never rewritten: which side is wrong is a person's call.
            return (clean || report.repaired()) && credits.drifts().isEmpty() ? 0 : DRIFT_FOUND;
        }
    }

    static void summarize(PrintWriter out, ReconcileReport report) {
        summarize(out, report, "usage rollups");
    }

    static void summarize(PrintWriter out, ReconcileReport report, String what) {
        out.println("Checked " + report.checked() + " " + what + ": " + report.drifts().size() + " drifted"
                + (report.drifts().isEmpty() ? "." : report.repaired() ? ", all repaired." : ", none repaired"
                + " (run with --repair to fix them)."));
        report.drifts().stream().limit(SHOWN_DRIFTS).forEach(drift -> out.println("  " + drift.user() + " "
                + drift.metric() + " period from " + drift.periodStart() + ": used " + drift.storedUsed().toPlainString()
                + " stored, " + drift.factUsed().toPlainString() + " from facts; reserved "
                + drift.storedReserved().toPlainString() + " stored, " + drift.openReserved().toPlainString()
                + " open"));
        if (report.drifts().size() > SHOWN_DRIFTS) {
            out.println("  … and " + (report.drifts().size() - SHOWN_DRIFTS) + " more");
        }
    }

    static void summarize(PrintWriter out, CreditReconcileReport report) {
        out.println("Checked " + report.users() + " credit balances and " + report.grants() + " credit grants: "
                + report.drifts().size() + " drifted" + (report.drifts().isEmpty() ? "." : " (never repaired"
                + " automatically; correct them with an adjustment entry)."));
        report.drifts().stream().limit(SHOWN_DRIFTS).forEach(drift -> out.println("  " + drift.user() + " "
                + drift.kind().wire() + drift.subject().map(s -> " " + s).orElse("") + ": " + drift.stored()
                + " stored, " + drift.expected() + " from the entries"));
        if (report.drifts().size() > SHOWN_DRIFTS) {
            out.println("  … and " + (report.drifts().size() - SHOWN_DRIFTS) + " more");
        }
    }

    private static ReconcileProgress bar(PrintWriter out) {
        return (done, total) -> {
            int filled = total == 0 ? BAR_WIDTH : (int) (BAR_WIDTH * done / total);
            out.print("\r[" + "#".repeat(filled) + " ".repeat(BAR_WIDTH - filled) + "] " + done + "/" + total);
            out.flush();
        };
    }
}
