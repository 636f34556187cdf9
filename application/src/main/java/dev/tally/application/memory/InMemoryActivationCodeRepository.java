package dev.tally.application.memory;

import dev.tally.application.port.ActivationCodeRepository;
import dev.tally.domain.activation.ActivationCode;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Activation codes in memory; a conditional replace is atomic per code. */
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
    public boolean replace(ActivationCode code, int expectedUseCount) {
        boolean[] replaced = new boolean[1];
        codes.computeIfPresent(code.code(), (c, stored) -> {
            replaced[0] = stored.user().equals(code.user()) && stored.useCount() == expectedUseCount;
            return replaced[0] ? code : stored;
        });
        return replaced[0];
    }
}
