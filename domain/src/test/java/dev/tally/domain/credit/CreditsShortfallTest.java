package dev.tally.domain.credit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.PlanId;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** R38: a write the balance cannot pay for is refused as {@code insufficient_credits}, with its figures. */
class CreditsShortfallTest {

    @Test
    void R38_a_shortfall_is_insufficient_credits_and_says_what_was_required_of_which_balance() {
        CreditsShortfall shortfall = new CreditsShortfall(new MetricKey("exports"), BigDecimal.ONE, Optional.empty(),
                new BigDecimal("3"), new PlanId("pro"), Instant.parse("2026-01-01T00:00:00Z"), 5, BigInteger.valueOf(6));
        assertThat(shortfall.code()).isEqualTo("insufficient_credits");
        assertThat(shortfall.message()).contains("6 credits").contains("balance is 5");
    }

    @Test
    void R38_a_balance_that_pays_is_no_shortfall() {
        assertThatThrownBy(() -> new CreditsShortfall(new MetricKey("exports"), BigDecimal.ONE, Optional.empty(),
                BigDecimal.ONE, new PlanId("pro"), Instant.EPOCH, 6, BigInteger.valueOf(6)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
