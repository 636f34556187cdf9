package dev.tally.application.port.contract;

import static dev.tally.application.port.contract.Fixtures.MARCH;
import static dev.tally.application.port.contract.Fixtures.concurrently;
import static dev.tally.application.port.contract.Fixtures.newId;
import static dev.tally.application.port.contract.Fixtures.newUser;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.port.ActivationCodeRepository;
import dev.tally.domain.activation.ActivationCode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every {@link ActivationCodeRepository} promises (R45). */
public abstract class ActivationCodeRepositoryContract {

    protected abstract ActivationCodeRepository codes();

    private ActivationCode issued(int maxUses) {
        ActivationCode code = ActivationCode.issue(newId("code"), newUser(), maxUses, MARCH.start());
        codes().insert(code);
        return code;
    }

    /**
     * A redemption as the use case makes it: read the code, let the domain redeem it, store the
     * result over the count it was computed from, and read again after a lost race.
     */
    private Optional<ActivationCode> redeem(String code) {
        while (true) {
            Optional<ActivationCode> stored = codes().find(code);
            if (stored.isEmpty() || stored.get().isUsedUp()) {
                return Optional.empty();
            }
            ActivationCode redeemed = stored.get().redeem();
            if (codes().replace(redeemed, stored.get().useCount())) {
                return Optional.of(redeemed);
            }
        }
    }

    @Test
    void R45_a_code_is_redeemed_up_to_its_max_uses() {
        ActivationCode code = issued(2);
        assertThat(codes().find(code.code())).contains(code);

        assertThat(redeem(code.code()).map(ActivationCode::useCount)).contains(1);
        assertThat(redeem(code.code()).map(ActivationCode::useCount)).contains(2);
        assertThat(redeem(code.code())).isEmpty();
        assertThat(codes().find(code.code()).orElseThrow().isUsedUp()).isTrue();
        assertThat(redeem("missing")).isEmpty();
        assertThat(codes().find("missing")).isEmpty();
    }

    @Test
    void R45_32_concurrent_redemptions_never_exceed_max_uses() throws Exception {
        ActivationCode code = issued(10);
        List<Optional<ActivationCode>> results = concurrently(32, 32, i -> () -> redeem(code.code()));

        assertThat(results).filteredOn(Optional::isPresent).hasSize(10);
        assertThat(codes().find(code.code()).orElseThrow().useCount()).isEqualTo(10);
    }

    @Test
    void a_replace_over_a_use_count_that_changed_stores_nothing() {
        ActivationCode code = issued(3);

        assertThat(codes().replace(code.redeem(), 0)).isTrue();
        assertThat(codes().replace(code.redeem(), 0)).isFalse();
        assertThat(codes().find(code.code()).orElseThrow().useCount()).isEqualTo(1);
        ActivationCode otherUsers = new ActivationCode(code.code(), newUser(), 3, 2, code.createdAt());
        assertThat(codes().replace(otherUsers, 1)).isFalse();
        assertThat(codes().find(code.code()).orElseThrow().useCount()).isEqualTo(1);
        assertThat(codes().replace(ActivationCode.issue(newId("code"), newUser(), 1, MARCH.start()).redeem(), 0))
                .isFalse();
    }

    @Test
    void R45_of_32_concurrent_replaces_over_the_same_use_count_exactly_one_is_stored() throws Exception {
        ActivationCode code = issued(10);
        List<Boolean> results = concurrently(32, 32, i -> () -> codes().replace(code.redeem(), 0));

        assertThat(results).filteredOn(Boolean::booleanValue).hasSize(1);
        assertThat(codes().find(code.code()).orElseThrow().useCount()).isEqualTo(1);
    }
}
