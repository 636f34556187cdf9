package dev.tally.application.bench;

import dev.tally.application.memory.InMemoryStorage;
import dev.tally.application.port.RateCells;
import dev.tally.application.port.TallyStorage;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.rate.MetricRate;
import dev.tally.domain.rate.RateDecision;
import dev.tally.domain.user.UserId;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH micro-benchmarks of one rate decision in process (R90), beside Bucket4j's in-memory bucket:
 * the pure {@link MetricRate#decide} (exact integer ticks), a take from the in-memory rate cells
 * inside an in-memory transaction (what an embedder's enforced write pays), and Bucket4j's
 * {@code tryConsume(1)} on a local bucket. Each decides on a rate high enough that every decision
 * is an admission, the expensive branch. Not a test: run with
 * {@code mvn -pl application -am -Pbench -DskipTests verify -Djmh.args="RateDecisionBenchmarks"}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class RateDecisionBenchmarks {

    private static final MetricKey CALLS = new MetricKey("calls");
    private static final MetricRate RATE = new MetricRate(1_000_000_000L, 1, 1_000_000_000L);

    private Optional<BigInteger> tat;
    private TallyStorage storage;
    private RateCells cells;
    private UserId user;
    private Bucket bucket;

    @Setup
    public void setUp() {
        tat = Optional.empty();
        storage = InMemoryStorage.create();
        cells = storage.rates();
        user = new UserId("acme");
        bucket = Bucket.builder().addLimit(Bandwidth.builder().capacity(1_000_000_000L)
                .refillGreedy(1_000_000_000L, Duration.ofSeconds(1)).build()).build();
    }

    @Benchmark
    public RateDecision tallyDecidePure() {
        RateDecision decision = RATE.decide(tat, Instant.now(), BigDecimal.ONE);
        if (decision instanceof RateDecision.Admitted admitted) {
            tat = Optional.of(admitted.tat());
        }
        return decision;
    }

    @Benchmark
    public RateDecision tallyInMemoryCells() {
        return storage.transactions().inTransaction(() -> cells.take(user, CALLS, RATE, BigDecimal.ONE,
                Instant.now()));
    }

    @Benchmark
    public boolean bucket4jLocalBucket() {
        return bucket.tryConsume(1);
    }

}
