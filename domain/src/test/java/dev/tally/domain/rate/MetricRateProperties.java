package dev.tally.domain.rate;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** The generic cell rate of R90 as properties: its bound, its pace and its exact waits (R91). */
class MetricRateProperties {

    private static final Instant START = Instant.parse("2026-12-06T10:00:00.123456789Z");

    /** One arrival: how long after the one before, and how much. */
    record Arrival(long gapNanos, BigDecimal quantity) {
    }

    @Provide
    Arbitrary<MetricRate> rates() {
        return Combinators.combine(Arbitraries.longs().between(1, 40), Arbitraries.integers().between(1, 4),
                Arbitraries.longs().between(0, 5)).as(MetricRate::new);
    }

    @Provide
    Arbitrary<List<Arrival>> arrivals() {
        Arbitrary<Long> gaps = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(0L)),
                net.jqwik.api.Tuple.of(5, Arbitraries.longs().between(1, 300_000_000L)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(300_000_000L, 5_000_000_000L)));
        Arbitrary<BigDecimal> quantities = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just(BigDecimal.ONE)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(2, 4).map(BigDecimal::valueOf)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(1, 2_500_000)
                        .map(micros -> BigDecimal.valueOf(micros, 6))));
        return Combinators.combine(gaps, quantities).as(Arrival::new).list().ofMinSize(1).ofMaxSize(300);
    }

    @Property(tries = 300)
    void R90_never_more_than_burst_plus_limit_in_any_window_of_per_seconds(
            @ForAll("rates") MetricRate rate, @ForAll("arrivals") List<Arrival> arrivals) {
        Optional<BigInteger> tat = Optional.empty();
        Instant now = START;
        List<Instant> at = new ArrayList<>();
        List<BigDecimal> admitted = new ArrayList<>();
        for (Arrival arrival : arrivals) {
            now = now.plusNanos(arrival.gapNanos());
            if (rate.decide(tat, now, arrival.quantity()) instanceof RateDecision.Admitted yes) {
                tat = Optional.of(yes.tat());
                at.add(now);
                admitted.add(arrival.quantity());
            }
        }
        BigDecimal bound = BigDecimal.valueOf(rate.burst() + rate.limit());
        for (int i = 0; i < at.size(); i++) {
            // The fullest window [t, t + per) starts at an admission.
            Instant end = at.get(i).plusSeconds(rate.perSeconds());
            BigDecimal inWindow = BigDecimal.ZERO;
            for (int j = i; j < at.size() && at.get(j).isBefore(end); j++) {
                inWindow = inWindow.add(admitted.get(j));
            }
            assertThat(inWindow).as("admitted in [%s, %s)", at.get(i), end).isLessThanOrEqualTo(bound);
        }
    }

    @Property(tries = 300)
    void R90_a_steady_stream_at_exactly_the_rate_is_always_admitted(
            @ForAll("rates") MetricRate rate, @ForAll @IntRange(min = 1, max = 400) int cells,
            @ForAll @LongRange(min = 0, max = 999_999_999) long startNanos) {
        Instant start = START.plusNanos(startNanos);
        BigInteger perNanos = BigInteger.valueOf(rate.perSeconds()).multiply(BigInteger.valueOf(1_000_000_000L));
        Optional<BigInteger> tat = Optional.empty();
        for (int k = 0; k < cells; k++) {
            // The k-th cell arrives at the first whole nanosecond at or after start + k × per / limit.
            BigInteger[] qr = perNanos.multiply(BigInteger.valueOf(k)).divideAndRemainder(BigInteger.valueOf(rate.limit()));
            long offset = qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0);
            RateDecision decision = rate.decide(tat, start.plusNanos(offset), BigDecimal.ONE);
            assertThat(decision).as("cell %d of a stream at %s", k, rate).isInstanceOf(RateDecision.Admitted.class);
            tat = Optional.of(((RateDecision.Admitted) decision).tat());
        }
    }

    @Property(tries = 500)
    void R91_a_refusals_wait_is_exact_admitted_then_and_not_one_nanosecond_earlier(
            @ForAll("rates") MetricRate rate, @ForAll("arrivals") List<Arrival> history,
            @ForAll @Size(max = 1) List<@IntRange(min = 1, max = 6) Integer> asked) {
        Optional<BigInteger> tat = Optional.empty();
        Instant now = START;
        for (Arrival arrival : history) {
            now = now.plusNanos(arrival.gapNanos());
            if (rate.decide(tat, now, arrival.quantity()) instanceof RateDecision.Admitted yes) {
                tat = Optional.of(yes.tat());
            }
        }
        BigDecimal quantity = asked.isEmpty() ? BigDecimal.ONE : BigDecimal.valueOf(asked.get(0));
        if (rate.decide(tat, now, quantity) instanceof RateDecision.Refused refused
                && refused.retryAfterNanos().isPresent()) {
            long wait = refused.retryAfterNanos().get();
            assertThat(wait).isPositive();
            assertThat(rate.decide(tat, now.plusNanos(wait), quantity)).isInstanceOf(RateDecision.Admitted.class);
            assertThat(rate.decide(tat, now.plusNanos(wait - 1), quantity)).isInstanceOf(RateDecision.Refused.class);
        }
    }

    @Property(tries = 200)
    void R90_a_quantity_beyond_burst_plus_one_cells_is_never_admitted_and_has_no_wait(
            @ForAll("rates") MetricRate rate, @ForAll @IntRange(min = 1, max = 50) int over) {
        BigDecimal quantity = BigDecimal.valueOf(rate.burst() + 1 + over);
        RateDecision decision = rate.decide(Optional.empty(), START, quantity);
        assertThat(decision).isInstanceOf(RateDecision.Refused.class);
        assertThat(((RateDecision.Refused) decision).retryAfterNanos()).isEmpty();
    }
}
