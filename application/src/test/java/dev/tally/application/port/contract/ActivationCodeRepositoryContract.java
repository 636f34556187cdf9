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

    @Test
    void R45_a_code_is_redeemed_up_to_its_max_uses() {
        ActivationCode code = issued(2);
        assertThat(codes().find(code.code())).contains(code);

        assertThat(codes().redeem(code.code()).map(ActivationCode::useCount)).contains(1);
        assertThat(codes().redeem(code.code()).map(ActivationCode::useCount)).contains(2);
        assertThat(codes().redeem(code.code())).isEmpty();
        assertThat(codes().find(code.code()).orElseThrow().isUsedUp()).isTrue();
        assertThat(codes().redeem("missing")).isEmpty();
        assertThat(codes().find("missing")).isEmpty();
    }

    @Test
    void R45_32_concurrent_redemptions_never_exceed_max_uses() throws Exception {
        ActivationCode code = issued(10);
        List<Optional<ActivationCode>> results = concurrently(32, 32, i -> () -> codes().redeem(code.code()));

        assertThat(results).filteredOn(Optional::isPresent).hasSize(10);
        assertThat(codes().find(code.code()).orElseThrow().useCount()).isEqualTo(10);
    }
}
