package dev.tally.application.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.domain.credit.InsufficientCredits;
import dev.tally.domain.plan.LimitExceeded;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An embedder reads an outcome without casting: fold, typed refusal, the value or an exception. */
class OutcomeTest {

    private final Outcome<String> done = Outcome.done("run-1");
    private final Outcome<String> refused = Outcome.refused(new InsufficientCredits(3, 10));

    @Test
    void fold_takes_the_branch_of_the_outcome() {
        assertThat(done.<String>fold(value -> "done " + value, refusal -> "refused " + refusal.code()))
                .isEqualTo("done run-1");
        assertThat(refused.<String>fold(value -> "done " + value, refusal -> "refused " + refusal.code()))
                .isEqualTo("refused insufficient_credits");
    }

    @Test
    void a_refusal_is_read_as_its_own_type_without_a_cast() {
        assertThat(refused.refusalAs(InsufficientCredits.class)).hasValueSatisfying(r -> {
            assertThat(r.balance()).isEqualTo(3);
            assertThat(r.requested()).isEqualTo(10);
        });
        assertThat(refused.refusalAs(LimitExceeded.class)).isEmpty();
        assertThat(done.refusalAs(InsufficientCredits.class)).isEmpty();
    }

    @Test
    void the_value_is_there_only_when_done() {
        assertThat(done.asOptional()).contains("run-1");
        assertThat(refused.asOptional()).isEmpty();
        assertThat(done.orElseThrow()).isEqualTo("run-1");
        assertThatThrownBy(refused::orElseThrow).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refused");
    }

    @Test
    void if_refused_runs_only_on_a_refusal() {
        List<String> seen = new ArrayList<>();
        done.ifRefused(r -> seen.add(r.code()));
        refused.ifRefused(r -> seen.add(r.code()));
        assertThat(seen).containsExactly("insufficient_credits");
    }
}
