package dev.tally.application.port;

import dev.tally.domain.activation.ActivationCode;
import java.util.Optional;

/** Activation codes (R45). */
public interface ActivationCodeRepository {

    void insert(ActivationCode code);

    Optional<ActivationCode> find(String code);

    /**
     * Stores {@code code} (as {@link ActivationCode#redeem()} returned it) over the stored code of
     * the same name and user, atomically and only while the stored use count is still
     * {@code expectedUseCount}; false when another redemption changed it first, or there is no
     * such code. A lost race stores nothing, so uses never go past the code's maximum.
     */
    boolean replace(ActivationCode code, int expectedUseCount);
}
