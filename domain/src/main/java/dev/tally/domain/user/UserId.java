package dev.tally.domain.user;

import dev.tally.domain.DomainException;
import java.util.regex.Pattern;

/** The operator's own id of a metered subject (a person or an organisation). */
public record UserId(String value) {

    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@:-]{0,127}");

    public UserId {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw DomainException.invalid("invalid_user_id",
                    "user id must be 1-128 letters, digits or one of _ . @ : - : " + value);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
