package dev.tally.bootstrap;

import static dev.tally.bootstrap.CommandLineTest.tally;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.Tally;
import dev.tally.application.usage.RecordUsage;
import dev.tally.application.usage.UsageItem;
import dev.tally.application.usage.VoidRecord;
import dev.tally.application.user.PutUser;
import dev.tally.adapter.jdbc.JdbcStorage;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.usage.RecordId;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tally export} (R94): the records and voids of a range from the jar, as the API streams them. */
class ExportCommandTest {

    @TempDir
    Path dir;

    @Test
    void R94_export_writes_records_and_voids_oldest_first_as_ndjson_or_csv_and_refuses_a_bad_range() {
        String url = "jdbc:h2:file:" + dir.resolve("tally");
        Instant now = Instant.now();
        try (JdbcStorage storage = JdbcStorage.open(url)) {
            Tally tally = Tally.create(storage.ports(), Clock.systemUTC(), Tally.Settings.DEFAULTS);
            tally.plans().put(Plan.of(new PlanId("free"), "Free", new PlanLimits(Map.of())));
            UserId acme = new UserId("acme");
            tally.users().put(PutUser.of(acme, new PlanId("free")));
            tally.usage().record(new RecordUsage(acme, List.of(
                    item("later", now.minusSeconds(60)), item("earlier", now.minusSeconds(120))), false));
            tally.corrections().voidRecord(new VoidRecord(acme, RecordId.of(new IdempotencyKey("later")), "typo"));
        }
        String range = "--from=" + now.minusSeconds(3600) + " --to=" + now.plusSeconds(60);
        String[] args = ("export --db-url " + url + " " + range).split(" ");

        CommandLineTest.Run ndjson = tally(args);
        CommandLineTest.Run csv = tally(("export --csv --user acme --db-url " + url + " " + range).split(" "));
        CommandLineTest.Run tooLong = tally("export", "--db-url", url, "--from=2000-01-01T00:00:00Z",
                "--to=2026-01-01T00:00:00Z");

        assertThat(ndjson.exitCode()).as(ndjson.err()).isZero();
        assertThat(ndjson.out().lines().toList()).hasSize(3).satisfies(lines -> {
            assertThat(lines.get(0)).contains("\"kind\":\"record\"", "\"idempotency_key\":\"earlier\"");
            assertThat(lines.get(1)).contains("\"kind\":\"record\"", "\"idempotency_key\":\"later\"");
            assertThat(lines.get(2)).contains("\"kind\":\"void\"", "\"reason\":\"typo\"");
        });
        assertThat(csv.out().lines().toList()).hasSize(4).first().asString().startsWith("kind,id,user_id");
        assertThat(tooLong.exitCode()).isEqualTo(ExportCommand.BAD_INPUT);
        assertThat(tooLong.err()).contains("at most ten years");
    }

    private static UsageItem item(String key, Instant at) {
        return new UsageItem(new MetricKey("exports"), BigDecimal.ONE, Optional.of(at), new IdempotencyKey(key),
                Map.of());
    }
}
