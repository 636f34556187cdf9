package dev.tally.bootstrap;

import dev.tally.adapter.http.ExportWriter;
import dev.tally.application.export.ExportUsage;
import dev.tally.domain.DomainException;
import dev.tally.domain.user.UserId;
import java.io.BufferedWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Exports usage records and their voids (R94) from the database to standard output, as the API's
 * export does: NDJSON, or CSV with {@code --csv}; oldest first, in constant memory, resumable with
 * the cursor of the last line written.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export usage records and voids in a time range as NDJSON or CSV, oldest first.")
final class ExportCommand implements Callable<Integer> {

    static final int BAD_INPUT = 2;

    @Option(names = "--from", required = true, paramLabel = "INSTANT",
            description = "records with occurred_at at or after this instant, e.g. 2026-11-01T00:00:00Z")
    String from;

    @Option(names = "--to", required = true, paramLabel = "INSTANT",
            description = "records with occurred_at before this instant; at most ten years after --from")
    String to;

    @Option(names = "--user", paramLabel = "USER_ID", description = "only this user's records; default everyone's")
    String user;

    @Option(names = "--cursor", paramLabel = "CURSOR", description = "resume after the line with this cursor")
    String cursor;

    @Option(names = "--csv", description = "write CSV (RFC 4180) instead of NDJSON")
    boolean csv;

    @Mixin
    DatabaseOption database;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ExportUsage query;
        try {
            query = new ExportUsage(Optional.ofNullable(user).map(UserId::new), instant(from, "--from"),
                    instant(to, "--to"), Optional.ofNullable(cursor).map(ExportWriter::position));
        } catch (RuntimeException bad) {
            spec.commandLine().getErr().println("tally export: " + bad.getMessage());
            return BAD_INPUT;
        }
        try (TallyApp app = TallyApp.open(database.dbUrl, Clock.systemUTC())) {
            Writer out = new BufferedWriter(spec.commandLine().getOut(), ExportWriter.BUFFER_CHARS);
            long count = new ExportWriter(app.tally().exports(), csv).write(query, out);
            spec.commandLine().getErr().println("Exported " + count + " records.");
            return 0;
        } catch (UncheckedIOException closed) {
            // The reader of standard output went away (a pipe closed): nothing more to write.
            return 1;
        }
    }

    private static Instant instant(String text, String option) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw DomainException.invalid("invalid_timestamp", option + " must be an ISO-8601 instant such as "
                    + "2026-11-01T00:00:00Z, not '" + text + "'");
        }
    }
}
