package dev.tally.application.run;

import dev.tally.domain.run.ReportRun;
import java.util.List;

/** One page of a user's runs, newest first, and how many there are in all. */
public record RunPage(List<ReportRun> runs, int limit, int offset, long total) {

    public RunPage {
        runs = List.copyOf(runs);
    }
}
