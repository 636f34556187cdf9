package dev.tally.domain.plan;

import dev.tally.domain.DomainException;
import java.util.regex.Pattern;

/** The operator's id of a plan, e.g. {@code pro}. */
public record PlanId(String value) {

    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    public PlanId {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw DomainException.invalid("invalid_plan_id",
                    "plan id must be 1-64 letters, digits, '_', '.' or '-': " + value);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
