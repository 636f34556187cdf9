package dev.tally.application.memory;

import dev.tally.application.port.ReportRunRepository;
import dev.tally.application.port.contract.ReportRunRepositoryContract;

class InMemoryReportRunRepositoryTest extends ReportRunRepositoryContract {

    private final InMemoryReportRunRepository runs = new InMemoryReportRunRepository();

    @Override
    protected ReportRunRepository runs() {
        return runs;
    }
}
