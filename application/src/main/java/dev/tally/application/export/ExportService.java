package dev.tally.application.export;

import dev.tally.application.port.ExportRow;
import dev.tally.application.port.ExportPosition;
import dev.tally.application.port.UsageExports;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Exports usage records and their voids (R94), oldest first, in pages of {@link #PAGE} read one
 * after another: however long the range, an export holds one page at a time, and a consumer that
 * stops (a client that went away) stops it.
 */
public class ExportService {

    /** Records read per page. */
    public static final int PAGE = 1000;

    private final UsageExports exports;

    @Inject
    public ExportService(UsageExports exports) {
        this.exports = exports;
    }

    /** Hands every record of {@code query} to {@code sink} in order; answers how many. */
    public long export(ExportUsage query, Consumer<ExportRow> sink) {
        Optional<ExportPosition> after = query.after();
        long count = 0;
        while (true) {
            List<ExportRow> page = exports.exportPage(query.user(), query.from(), query.to(), after, PAGE);
            for (ExportRow row : page) {
                sink.accept(row);
            }
            count += page.size();
            if (page.size() < PAGE) {
                return count;
            }
            after = Optional.of(page.get(page.size() - 1).position());
        }
    }
}
