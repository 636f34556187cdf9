package dev.tally.application.memory;

import dev.tally.application.port.ActivationCodeRepository;
import dev.tally.domain.activation.ActivationCode;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Activation codes in memory; a redemption is atomic per code. */
public final class InMemoryActivationCodeRepository implements ActivationCodeRepository {

    private final Map<String, ActivationCode> codes = new ConcurrentHashMap<>();

    @Override
    public void insert(ActivationCode code) {
        if (codes.putIfAbsent(code.code(), code) != null) {
            throw new IllegalStateException("activation code " + code.code() + " already exists");
        }
    }

    @Override
    public Optional<ActivationCode> find(String code) {
        return Optional.ofNullable(codes.get(code));
    }

    @Override
    public Optional<ActivationCode> redeem(String code) {
        boolean[] redeemed = new boolean[1];
        ActivationCode after = codes.computeIfPresent(code, (c, stored) -> {
            redeemed[0] = !stored.isUsedUp();
            return redeemed[0] ? stored.redeem() : stored;
        });
        return redeemed[0] ? Optional.of(after) : Optional.empty();
    }
}
