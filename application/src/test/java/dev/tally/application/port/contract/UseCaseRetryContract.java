package dev.tally.application.port.contract;

import static dev.tally.application.port.contract.Fixtures.newId;
import static dev.tally.application.port.contract.Fixtures.subscriber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.application.ManualClock;
import dev.tally.application.Tally;
import dev.tally.application.activation.IssueCode;
import dev.tally.application.activation.RedeemCode;
import dev.tally.application.cost.RecordApiCall;
import dev.tally.application.credit.CreditWrite;
import dev.tally.application.port.TallyStorage;
import dev.tally.application.run.CompleteRun;
import dev.tally.application.run.StartRun;
import dev.tally.application.session.CompleteSession;
import dev.tally.application.session.CreateSession;
import dev.tally.application.usage.RecordUsage;
import dev.tally.application.usage.UsageItem;
import dev.tally.application.usage.UsageRecorded;
import dev.tally.application.usecase.Outcome;
import dev.tally.domain.DomainException;
import dev.tally.domain.activation.ActivationCode;
import dev.tally.domain.cost.ApiCall;
import dev.tally.domain.credit.CreditTransaction;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.MetricUsage;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.run.ModelPrice;
import dev.tally.domain.run.ReportRun;
import dev.tally.domain.run.RunCompletion;
import dev.tally.domain.run.RunStatus;
import dev.tally.domain.session.Session;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The same request under the same key gives the same answer, once, on every storage (R20, R66):
 * each write retried unchanged is answered again and counted once, a different payload under the
 * key is {@code 422 idempotency_key_reused}, and the claim of a request that died is released in
 * time.
 */
public abstract class UseCaseRetryContract {

    private static final Instant START = Instant.parse("2026-03-10T12:00:00Z");

    protected abstract TallyStorage storage();

    private final ManualClock clock = new ManualClock(START);
    private Tally tally;
    private UserId user;

    @BeforeEach
    void setUp() {
        tally = Tally.create(storage(), clock, Tally.Settings.DEFAULTS);
        user = subscriber(tally, "Retry", new PlanLimits(Map.of(MetricKey.RUNS, Limit.of(5),
                MetricKey.SESSIONS, Limit.of(5), MetricKey.ACTIVATION_CODES, Limit.of(5),
                MetricKey.apiCalls("llm"), Limit.of(5), new MetricKey("m"), Limit.of(5))));
    }

    private BigDecimal used(MetricKey metric) {
        return tally.usage().usage(user, Optional.empty()).metrics().stream()
                .filter(m -> m.metric().equals(metric)).map(MetricUsage::used).findFirst().orElse(BigDecimal.ZERO);
    }

    private static void assertReused(ThrowingCallable retry) {
        assertThatThrownBy(retry).isInstanceOf(DomainException.class).extracting("code")
                .isEqualTo("idempotency_key_reused");
    }

    private static UsageItem item(long quantity, String key) {
        return new UsageItem(new MetricKey("m"), BigDecimal.valueOf(quantity), Optional.empty(), new IdempotencyKey(key),
                Map.of());
    }

    @Test
    void R20_a_usage_record_without_occurred_at_retried_unchanged_is_the_same_record_counted_once() {
        RecordUsage batch = new RecordUsage(user, List.of(item(1, "e1")), true);
        assertThat(tally.usage().record(batch)).isEqualTo(Outcome.done(new UsageRecorded(1, 0)));

        clock.advance(Duration.ofSeconds(3));
        assertThat(tally.usage().record(batch)).isEqualTo(Outcome.done(new UsageRecorded(0, 1)));
        assertThat(tally.usage().record(new RecordUsage(user, List.of(item(1, "e1")), false)))
                .isEqualTo(Outcome.done(new UsageRecorded(0, 1)));
        assertReused(() -> tally.usage().record(new RecordUsage(user, List.of(item(2, "e1")), true)));
        assertReused(() -> tally.usage().record(new RecordUsage(user, List.of(new UsageItem(new MetricKey("m"),
                BigDecimal.ONE, Optional.of(clock.instant()), new IdempotencyKey("e1"), Map.of())), true)));
        assertThat(used(new MetricKey("m"))).isEqualByComparingTo("1");
    }

    @Test
    void R20_an_api_call_retried_unchanged_is_the_same_call_even_when_the_detected_provider_changed() {
        // A model of this test's own: the price table is shared by every test on one storage.
        String model = newId("model");
        tally.prices().put(new ModelPrice(model, new BigDecimal("0.00015"), new BigDecimal("0.0006"), "openai"));
        RecordApiCall call = new RecordApiCall(user, "llm", Optional.empty(), Optional.of(model),
                new BigDecimal("0.25"), OptionalInt.of(200), OptionalLong.of(120), Optional.empty(), true,
                Optional.of(new IdempotencyKey("call-1")));
        ApiCall first = tally.apiCalls().record(call).orElseThrow();

        clock.advance(Duration.ofSeconds(3));
        tally.prices().put(new ModelPrice(model, new BigDecimal("0.00015"), new BigDecimal("0.0006"), "azure"));
        assertThat(tally.apiCalls().record(call).orElseThrow()).isEqualTo(first);
        assertThat(first.provider()).isEqualTo("openai");
        assertReused(() -> tally.apiCalls().record(new RecordApiCall(user, "llm", Optional.empty(),
                Optional.of(model), new BigDecimal("0.25"), OptionalInt.of(200), OptionalLong.of(121),
                Optional.empty(), true, Optional.of(new IdempotencyKey("call-1")))));
        assertThat(used(MetricKey.apiCalls("llm"))).isEqualByComparingTo("1");
        assertThat(used(MetricKey.COST_USD)).isEqualByComparingTo("0.25");
    }

    @Test
    void R20_a_credit_write_retried_unchanged_is_the_same_entry_counted_once() {
        CreditTransaction purchase = tally.credits().write(CreditWrite.purchase(user, 10,
                new IdempotencyKey("buy"))).orElseThrow();
        CreditWrite spend = CreditWrite.spend(user, 3, "export", new IdempotencyKey("spend"));
        CreditTransaction spent = tally.credits().write(spend).orElseThrow();

        clock.advance(Duration.ofSeconds(3));
        assertThat(tally.credits().write(spend).orElseThrow()).isEqualTo(spent);
        assertThat(tally.credits().write(CreditWrite.purchase(user, 10, new IdempotencyKey("buy"))).orElseThrow())
                .isEqualTo(purchase);
        assertReused(() -> tally.credits().write(CreditWrite.spend(user, 4, "export", new IdempotencyKey("spend"))));
        assertThat(tally.credits().balance(user)).isEqualTo(7);
    }

    @Test
    void R20_a_session_opened_and_completed_retried_unchanged_is_counted_once() {
        CreateSession open = new CreateSession(user, "review", Optional.empty(), Optional.of(new IdempotencyKey("s")));
        Session session = tally.sessions().create(open).orElseThrow();

        clock.advance(Duration.ofSeconds(3));
        assertThat(tally.sessions().create(open).orElseThrow()).isEqualTo(session);
        assertReused(() -> tally.sessions().create(new CreateSession(user, "other", Optional.empty(),
                Optional.of(new IdempotencyKey("s")))));
        Optional<IdempotencyKey> done = Optional.of(new IdempotencyKey("done"));
        Session completed = tally.sessions().complete(new CompleteSession(user, session.id(), 90, done));
        assertThat(tally.sessions().complete(new CompleteSession(user, session.id(), 90, done))).isEqualTo(completed);
        assertReused(() -> tally.sessions().complete(new CompleteSession(user, session.id(), 91, done)));
        assertThat(used(MetricKey.SESSIONS)).isEqualByComparingTo("1");
        assertThat(used(MetricKey.SESSION_MINUTES)).isEqualByComparingTo("2");
    }

    @Test
    void R20_a_run_started_and_completed_retried_unchanged_is_counted_once() {
        StartRun start = new StartRun(user, Optional.of("repo"), Optional.empty(), Optional.of(new IdempotencyKey("r")));
        ReportRun run = tally.runs().start(start).orElseThrow();

        clock.advance(Duration.ofSeconds(3));
        assertThat(tally.runs().start(start).orElseThrow()).isEqualTo(run);
        assertReused(() -> tally.runs().start(new StartRun(user, Optional.of("other"), Optional.empty(),
                Optional.of(new IdempotencyKey("r")))));
        Optional<IdempotencyKey> done = Optional.of(new IdempotencyKey("end"));
        RunCompletion completion = new RunCompletion(RunStatus.SUCCEEDED, 1000, 500, Optional.of("gpt-4o-mini"), 3,
                Optional.empty(), Optional.empty(), Optional.empty());
        ReportRun ended = tally.runs().complete(new CompleteRun(user, run.id(), completion, done));
        clock.advance(Duration.ofSeconds(3));
        assertThat(tally.runs().complete(new CompleteRun(user, run.id(), completion, done))).isEqualTo(ended);
        assertReused(() -> tally.runs().complete(new CompleteRun(user, run.id(),
                new RunCompletion(RunStatus.SUCCEEDED, 1001, 500,
                Optional.of("gpt-4o-mini"), 3, Optional.empty(), Optional.empty(), Optional.empty()), done)));
        assertThat(tally.runs().usage(user, Optional.empty()).counts().total()).isEqualTo(1);
        assertThat(used(MetricKey.RUNS)).isEqualByComparingTo("1");
    }

    @Test
    void R20_an_activation_code_issued_and_redeemed_retried_unchanged_is_counted_once() {
        Optional<IdempotencyKey> issueKey = Optional.of(new IdempotencyKey("issue"));
        ActivationCode code = tally.activationCodes().issue(new IssueCode(user, 3, issueKey)).orElseThrow();

        clock.advance(Duration.ofSeconds(3));
        assertThat(tally.activationCodes().issue(new IssueCode(user, 3, issueKey)).orElseThrow()).isEqualTo(code);
        assertReused(() -> tally.activationCodes().issue(new IssueCode(user, 4, issueKey)));
        Optional<IdempotencyKey> redeemKey = Optional.of(new IdempotencyKey("redeem"));
        RedeemCode redeem = new RedeemCode(code.code(), Optional.of(user), redeemKey);
        ActivationCode redeemed = tally.activationCodes().redeem(redeem);
        assertThat(tally.activationCodes().redeem(redeem)).isEqualTo(redeemed);
        assertThat(redeemed.useCount()).isEqualTo(1);
        assertThat(used(MetricKey.ACTIVATION_CODES)).isEqualByComparingTo("1");
    }

    @Test
    void R10_a_refused_enforced_write_leaves_no_metric_behind_in_the_usage_shown() {
        MetricKey other = new MetricKey("exports");
        Outcome<UsageRecorded> refused = tally.usage().record(new RecordUsage(user, List.of(
                new UsageItem(other, BigDecimal.ONE, Optional.empty(), new IdempotencyKey("p"), Map.of()),
                item(6, "over")), true));
        RecordApiCall call = new RecordApiCall(user, "llm", Optional.empty(), Optional.empty(), new BigDecimal("0.5"),
                OptionalInt.empty(), OptionalLong.empty(), Optional.empty(), true, Optional.empty());
        for (int i = 0; i < 5; i++) {
            tally.apiCalls().record(call).orElseThrow();
        }
        Outcome<ApiCall> sixth = tally.apiCalls().record(call);

        assertThat(refused.isRefused()).isTrue();
        assertThat(sixth.isRefused()).isTrue();
        assertThat(tally.usage().usage(user, Optional.empty()).metrics()).extracting(MetricUsage::metric)
                .containsExactlyInAnyOrder(MetricKey.RUNS, MetricKey.SESSIONS, MetricKey.ACTIVATION_CODES,
                        MetricKey.apiCalls("llm"), new MetricKey("m"), MetricKey.COST_USD);
        assertThat(used(MetricKey.COST_USD)).isEqualByComparingTo("2.5");
    }

    @Test
    void R66_the_claim_of_a_request_that_died_is_released_within_ten_seconds() {
        CreditWrite purchase = CreditWrite.purchase(user, 10, new IdempotencyKey("dead"));
        // A request claimed the key and died before its work committed (a crash, a lost connection).
        storage().idempotency().claim(user, purchase.idempotencyKey(), purchase.fingerprint(), clock.instant());

        clock.advance(Duration.ofSeconds(2));
        assertThatThrownBy(() -> tally.credits().write(purchase)).isInstanceOf(DomainException.class)
                .extracting("code").isEqualTo("idempotency_in_flight");
        clock.advance(Duration.ofSeconds(8));
        CreditTransaction written = tally.credits().write(purchase).orElseThrow();
        assertThat(tally.credits().write(purchase).orElseThrow()).isEqualTo(written);
        assertThat(tally.credits().balance(user)).isEqualTo(10);
    }
}
