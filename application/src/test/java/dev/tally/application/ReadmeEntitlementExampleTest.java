package dev.tally.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.allocation.ChangeAllocation;
import dev.tally.application.entitlement.CheckEntitlement;
import dev.tally.application.reservation.EndReservation;
import dev.tally.application.reservation.HoldReservation;
import dev.tally.application.usage.RecordUsage;
import dev.tally.application.usage.UsageItem;
import dev.tally.application.usecase.Outcome;
import dev.tally.application.user.PutUser;
import dev.tally.domain.entitlement.Entitlement;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.MetricUsage;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.usage.Reservation;
import dev.tally.domain.user.UserId;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's in-process example of entitlements (R70) compiling, running and word for
 * word the same as here.
 */
class ReadmeEntitlementExampleTest {

    private static final String README_BLOCK = "<!-- ReadmeEntitlementExampleTest -->\n```java\n";

    @Test
    void the_readme_entitlement_example_runs() {
        assertThat(readmeExample()).isEqualTo("exports: 10 of 10 used; exports_limit_exceeded; seats: 1 of 3; tokens: 2750");
    }

    private static String readmeExample() {
        // README:begin
        Tally tally = Tally.inMemory(Clock.systemUTC());
        tally.plans().put(Plan.of(new PlanId("pro"), "Pro",
                new PlanLimits(Map.of(new MetricKey("exports"), Limit.of(10), new MetricKey("tokens"), Limit.of(5000))))
        .withAllocations(new PlanLimits(Map.of(new MetricKey("seats"), Limit.of(3)))));
        UserId acme = new UserId("acme");
        tally.users().put(PutUser.of(acme, new PlanId("pro")));
        MetricKey exports = new MetricKey("exports");

        // A check before the work: in process, from the rollups enforcement writes; records nothing.
        Entitlement may = tally.entitlements().check(new CheckEntitlement(acme, exports, BigDecimal.TEN));
        if (may.allowed()) {
            tally.usage().record(new RecordUsage(acme, List.of(new UsageItem(exports, BigDecimal.TEN,
                    Optional.empty(), new IdempotencyKey("export-42"), Map.of())), true));
        }
        Entitlement more = tally.entitlements().check(CheckEntitlement.ofOne(acme, exports));

        // Work of unknown size (an LLM call): hold an estimate, then commit what it used (R71).
        Reservation hold = tally.reservations().hold(HoldReservation.of(acme, new MetricKey("tokens"),
                BigDecimal.valueOf(4000))).orElseThrow();
        tally.reservations().end(EndReservation.commit(acme, hold.id(), BigDecimal.valueOf(2750)));

        // Seats are an allocation (R72): a current count; an increase is checked and recorded in one step.
        Outcome<MetricUsage> seat = tally.allocations().change(new ChangeAllocation(acme, new MetricKey("seats"),
                BigDecimal.ONE, Optional.empty()));
        return "exports: " + more.usage().used() + " of " + more.usage().limit().orElseThrow() + " used; "
                + more.denial().map(denial -> denial.code()).orElse("allowed") + "; seats: "
                + seat.orElseThrow().used() + " of 3; tokens: "
                + tally.entitlements().check(CheckEntitlement.ofOne(acme, new MetricKey("tokens"))).usage().used();
        // README:end
    }

    @Test
    void the_readme_shows_exactly_this_example() throws IOException {
        String source = Files.readString(
                Path.of("src/test/java/dev/tally/application/ReadmeEntitlementExampleTest.java"));
        String inTest = between(source, "// README:begin\n", "        // README:end");
        String readme = Files.readString(Path.of("../README.md"));
        String inReadme = between(readme, README_BLOCK, "```");

        assertThat(normalise(inReadme)).isEqualTo(normalise(inTest));
    }

    private static String between(String text, String from, String to) {
        int start = text.indexOf(from);
        assertThat(start).as("'" + from.strip() + "' is present").isNotNegative();
        start += from.length();
        return text.substring(start, text.indexOf(to, start));
    }

    private static List<String> normalise(String block) {
        return Arrays.stream(block.split("\n")).map(String::strip).filter(line -> !line.isEmpty())
                .collect(Collectors.toList());
    }
}
