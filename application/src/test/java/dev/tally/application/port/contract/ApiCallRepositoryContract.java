package dev.tally.application.port.contract;

import static dev.tally.application.port.contract.Fixtures.APRIL;
import static dev.tally.application.port.contract.Fixtures.MARCH;
import static dev.tally.application.port.contract.Fixtures.assertSameValue;
import static dev.tally.application.port.contract.Fixtures.dec;
import static dev.tally.application.port.contract.Fixtures.newId;
import static dev.tally.application.port.contract.Fixtures.newUser;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.port.ApiCallRepository;
import dev.tally.domain.cost.ApiCall;
import dev.tally.domain.cost.ProviderCost;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** What every {@link ApiCallRepository} promises (R40, R42). */
public abstract class ApiCallRepositoryContract {

    protected abstract ApiCallRepository calls();

    private void call(UserId user, String provider, String cost, Instant at) {
        calls().insert(new ApiCall(newId("call"), user, "llm", provider, Optional.of("gpt-4o"), dec(cost),
                OptionalInt.of(200), OptionalLong.of(120), at));
    }

    @Test
    void R40_a_call_reads_back_for_its_user_only() {
        UserId user = newUser();
        ApiCall call = new ApiCall(newId("call"), user, "video", "wavespeed", Optional.empty(), dec("0.123456"),
                OptionalInt.empty(), OptionalLong.of(0), MARCH.start().plusNanos(7));
        calls().insert(call);

        assertSameValue(calls().find(user, call.id()).orElseThrow(), call);
        assertThat(calls().find(newUser(), call.id())).isEmpty();
        assertThat(calls().find(user, "missing")).isEmpty();
    }

    @Test
    void R42_costs_are_summed_per_provider_within_the_half_open_period() {
        UserId user = newUser();
        call(user, "openai", "0.5", MARCH.start());
        call(user, "openai", "0.25", MARCH.start().plusSeconds(60));
        call(user, "anthropic", "1.000001", MARCH.end().minusNanos(1));
        call(user, "openai", "9", APRIL.start());
        call(newUser(), "openai", "9", MARCH.start());

        List<ProviderCost> costs = calls().costsByProvider(user, MARCH).stream()
                .sorted(Comparator.comparing(ProviderCost::provider)).toList();
        assertSameValue(costs, List.of(new ProviderCost("anthropic", dec("1.000001"), 1),
                new ProviderCost("openai", dec("0.75"), 2)));
        assertThat(calls().costsByProvider(newUser(), MARCH)).isEmpty();
    }
}
