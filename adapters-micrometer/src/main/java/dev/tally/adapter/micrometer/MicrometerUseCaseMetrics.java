package dev.tally.adapter.micrometer;

import dev.tally.application.port.UseCaseMetrics;
import dev.tally.domain.Refusal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Tally's decisions in an embedder's Micrometer {@link MeterRegistry}, with or without the HTTP
 * server (this artifact brings Micrometer's core and nothing else): pass it to {@code Tally.create(storage, clock, settings, new MicrometerUseCaseMetrics(registry))}.
 *
 * <ul>
 *   <li>{@code tally.use.case} (timer): every answer of a deciding use case, tagged
 *       {@code use_case} (such as {@code usage.record}) and {@code outcome}
 *       ({@code granted}, {@code refused} or {@code failed}): decisions and latency per use case;</li>
 *   <li>{@code tally.use.case.denials} (counter): the refusals, tagged {@code use_case} and
 *       {@code refusal}, the refusal's code (such as {@code runs_limit_exceeded}); the limit of a
 *       metric a client named is {@code other_limit_exceeded} (of a call type,
 *       {@code api_calls_limit_exceeded}).</li>
 * </ul>
 *
 * No tag carries a user id or a name a client chose, so the number of series stays small whatever
 * clients send.
 */
public final class MicrometerUseCaseMetrics implements UseCaseMetrics {

    private final MeterRegistry registry;

    /** Tally's meters, registered in {@code registry} as decisions are made. */
    public MicrometerUseCaseMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void answered(String useCase, Optional<Refusal> refusal, Duration took) {
        timer(useCase, refusal.isPresent() ? "refused" : "granted").record(took);
        refusal.ifPresent(refused -> Counter.builder("tally.use.case.denials")
                .description("Refusals of Tally's use cases, by use case and refusal code")
                .tag("use_case", useCase)
                .tag("refusal", MetricLabels.refusal(refused))
                .register(registry)
                .increment());
    }

    @Override
    public void failed(String useCase, RuntimeException failure, Duration took) {
        timer(useCase, "failed").record(took);
    }

    private Timer timer(String useCase, String outcome) {
        return Timer.builder("tally.use.case")
                .description("Answers of Tally's deciding use cases, by use case and outcome")
                .tag("use_case", useCase)
                .tag("outcome", outcome)
                .register(registry);
    }
}
