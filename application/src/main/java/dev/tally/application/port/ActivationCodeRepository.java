package dev.tally.application.port;

import dev.tally.domain.activation.ActivationCode;
import java.util.Optional;

/** Activation codes (R45). */
public interface ActivationCodeRepository {

    void insert(ActivationCode code);

    Optional<ActivationCode> find(String code);

    /**
     * Adds one use atomically, only while the code has uses left; empty when it is used up (or
     * does not exist).
     */
    Optional<ActivationCode> redeem(String code);
}
