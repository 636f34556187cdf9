package dev.tally.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.run.CompleteRun;
import dev.tally.application.run.StartRun;
import dev.tally.application.usecase.Outcome;
import dev.tally.application.user.PutUser;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.LimitExceeded;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.run.ReportRun;
import dev.tally.domain.run.RunCompletion;
import dev.tally.domain.run.RunStatus;
import dev.tally.domain.user.UserId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Keeps the README's embedding example compiling, running and word for word the same as here. */
class ReadmeExampleTest {

    @Test
    void the_readme_example_runs() {
        String message = readmeExample();

        assertThat(message).startsWith("The runs limit of plan free is 2 per period; 2 used, 1 requested.");
    }

    private static String readmeExample() {
        // README:begin
        Tally tally = Tally.inMemory(Clock.systemUTC());
        tally.plans().put(Plan.of(new PlanId("free"), "Free",
                new PlanLimits(Map.of(MetricKey.RUNS, Limit.of(2)))));
        UserId acme = new UserId("acme");
        tally.users().put(PutUser.of(acme, new PlanId("free")));

        for (int i = 0; i < 3; i++) {
            Outcome<ReportRun> started = tally.runs().start(StartRun.of(acme));
            Optional<LimitExceeded> denial = started.refusalAs(LimitExceeded.class);
            if (denial.isPresent()) {
                return denial.get().message(); // runs_limit_exceeded: 2 used of 2, resets at the period end
            }
            ReportRun run = started.orElseThrow();
            tally.runs().complete(CompleteRun.of(acme, run.id(), RunCompletion.of(RunStatus.SUCCEEDED)));
        }
        // README:end
        return "no denial";
    }

    @Test
    void the_readme_shows_exactly_this_example() throws IOException {
        String source = Files.readString(Path.of("src/test/java/dev/tally/application/ReadmeExampleTest.java"));
        String inTest = between(source, "// README:begin\n", "        // README:end");
        String readme = Files.readString(Path.of("../README.md"));
        String inReadme = between(readme, "```java\n", "```");

        assertThat(normalise(inReadme)).isEqualTo(normalise(inTest));
    }

    private static String between(String text, String from, String to) {
        int start = text.indexOf(from) + from.length();
        return text.substring(start, text.indexOf(to, start));
    }

    private static List<String> normalise(String block) {
        return Arrays.stream(block.split("\n")).map(String::strip).filter(line -> !line.isEmpty())
                .collect(Collectors.toList());
    }
}
