package dev.tally.domain.credit;

import dev.tally.domain.DomainException;
import java.util.Objects;

/** Credits one usage entry drew from one grant, or a refund gave back to it (R35's {@code drawn_from}). */
public record Draw(String grantId, long credits) {

    public Draw {
        Objects.requireNonNull(grantId, "grantId");
        if (credits <= 0) {
            throw DomainException.invalid("invalid_draw", "a draw moves a positive number of credits: " + credits);
        }
    }
}
