package dev.tally.domain.plan;

import dev.tally.domain.Refusal;
import java.math.BigDecimal;

/** One item is larger than the plan's per-item cap (R16); over HTTP {@code 403 file_size_limit_exceeded}. */
public record FileSizeLimitExceeded(BigDecimal fileSizeMb, BigDecimal maxFileSizeMb, PlanId plan) implements Refusal {

    @Override
    public String code() {
        return "file_size_limit_exceeded";
    }

    @Override
    public String message() {
        return "The file is " + fileSizeMb.toPlainString() + " MB; plan " + plan + " allows at most "
                + maxFileSizeMb.toPlainString() + " MB per file.";
    }
}
