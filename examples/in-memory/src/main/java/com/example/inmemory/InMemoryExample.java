package com.example.inmemory;

import dev.tally.application.Tally;
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
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/** Tally in one process, nothing stored: a plan of two runs a month, and the third run refused. */
public final class InMemoryExample {

    public static void main(String[] args) {
        Tally tally = Tally.inMemory(Clock.systemUTC());
        tally.plans().put(Plan.of(new PlanId("free"), "Free", new PlanLimits(Map.of(MetricKey.RUNS, Limit.of(2)))));
        UserId acme = new UserId("acme");
        tally.users().put(PutUser.of(acme, new PlanId("free")));

        for (int i = 1; i <= 3; i++) {
            Outcome<ReportRun> started = tally.runs().start(StartRun.of(acme));
            Optional<LimitExceeded> denial = started.refusalAs(LimitExceeded.class);
            if (denial.isPresent()) {
                System.out.println("run " + i + " refused: " + denial.get().message());
                if (i != 3) {
                    throw new IllegalStateException("expected only the third run to be refused");
                }
                return;
            }
            ReportRun run = started.orElseThrow();
            tally.runs().complete(CompleteRun.of(acme, run.id(), RunCompletion.of(RunStatus.SUCCEEDED)));
            System.out.println("run " + i + " succeeded");
        }
        throw new IllegalStateException("expected the third run to be refused");
    }
}
