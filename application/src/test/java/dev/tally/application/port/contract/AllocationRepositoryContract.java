package dev.tally.application.port.contract;

import static dev.tally.application.port.contract.Fixtures.concurrently;
import static dev.tally.application.port.contract.Fixtures.newUser;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.port.AllocationRepository;
import dev.tally.application.port.AllocationRepository.BelowZero;
import dev.tally.application.port.AllocationRepository.Change;
import dev.tally.application.port.AllocationRepository.Changed;
import dev.tally.application.port.AllocationRepository.OverLimit;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AllocationRepository} promises (R72, R13): increases within the limit,
 * decreases never below zero, atomically under concurrency. Tests use users of their own.
 */
public abstract class AllocationRepositoryContract {

    private static final MetricKey SEATS = new MetricKey("seats");
    private static final MetricKey PROJECTS = new MetricKey("projects");

    protected abstract AllocationRepository allocations();

    private Change add(UserId user, long delta, Limit limit) {
        return allocations().add(user, SEATS, BigDecimal.valueOf(delta), limit);
    }

    private BigDecimal value(UserId user) {
        return allocations().value(user, SEATS);
    }

    @Test
    void R72_increases_within_the_limit_are_granted_and_one_past_it_is_refused() {
        UserId user = newUser();

        assertThat(add(user, 3, Limit.of(5))).isInstanceOfSatisfying(Changed.class,
                c -> assertThat(c.value()).isEqualByComparingTo("3"));
        assertThat(add(user, 2, Limit.of(5))).isInstanceOfSatisfying(Changed.class,
                c -> assertThat(c.value()).isEqualByComparingTo("5"));
        assertThat(add(user, 1, Limit.of(5))).isInstanceOfSatisfying(OverLimit.class, over -> {
            assertThat(over.value()).isEqualByComparingTo("5");
            assertThat(over.limit()).isEqualByComparingTo("5");
        });
        assertThat(value(user)).isEqualByComparingTo("5");
    }

    @Test
    void R72_a_decrease_below_zero_is_refused_and_changes_nothing() {
        UserId user = newUser();
        add(user, 2, Limit.of(5));

        assertThat(add(user, -3, Limit.of(5))).isInstanceOfSatisfying(BelowZero.class,
                below -> assertThat(below.value()).isEqualByComparingTo("2"));
        assertThat(add(newUser(), -1, Limit.of(5))).isInstanceOfSatisfying(BelowZero.class,
                below -> assertThat(below.value()).isZero());
        assertThat(add(user, -2, Limit.of(5))).isInstanceOfSatisfying(Changed.class,
                c -> assertThat(c.value()).isZero());
    }

    @Test
    void R72_a_value_set_above_the_limit_stays_refuses_increases_and_may_fall() {
        UserId user = newUser();
        allocations().set(user, SEATS, new BigDecimal("8"));

        assertThat(add(user, 1, Limit.of(5))).isInstanceOf(OverLimit.class);
        assertThat(add(user, -1, Limit.of(5))).isInstanceOfSatisfying(Changed.class,
                c -> assertThat(c.value()).isEqualByComparingTo("7"));
        allocations().set(user, SEATS, new BigDecimal("2"));
        assertThat(value(user)).isEqualByComparingTo("2");
    }

    @Test
    void R72_unlimited_allocations_and_fractions_add_up_and_values_are_per_user_and_metric() {
        UserId user = newUser();
        allocations().add(user, PROJECTS, new BigDecimal("2.5"), Limit.unlimited());
        allocations().add(user, PROJECTS, new BigDecimal("1000000"), Limit.unlimited());
        add(user, 1, Limit.of(1));

        assertThat(allocations().values(user)).containsOnlyKeys(PROJECTS, SEATS);
        assertThat(allocations().value(user, PROJECTS)).isEqualByComparingTo("1000002.5");
        assertThat(allocations().values(newUser())).isEmpty();
        assertThat(allocations().value(newUser(), SEATS)).isZero();
    }

    @Test
    void R75_every_change_and_setting_reports_the_value_it_replaced_and_the_new_one() {
        UserId user = newUser();

        assertThat(add(user, 3, Limit.of(5))).isEqualTo(new Changed(BigDecimal.ZERO, new BigDecimal("3")));
        assertThat(add(user, -1, Limit.of(5))).isEqualTo(new Changed(new BigDecimal("3"), new BigDecimal("2")));
        assertThat(allocations().set(user, SEATS, new BigDecimal("7")))
                .isEqualTo(new Changed(new BigDecimal("2"), new BigDecimal("7")));
        assertThat(allocations().set(newUser(), SEATS, new BigDecimal("1")))
                .isEqualTo(new Changed(BigDecimal.ZERO, new BigDecimal("1")));
    }

    @Test
    void R75_64_concurrent_increases_report_ranges_that_never_overlap() throws Exception {
        UserId user = newUser();

        List<Change> results = concurrently(64, 64, i -> () -> add(user, 1, Limit.of(64)));

        // One change alone took the value from n - 1 to n, for every n: so one alone crosses each threshold.
        assertThat(results).allSatisfy(change -> assertThat(change).isInstanceOfSatisfying(Changed.class,
                c -> assertThat(c.value().subtract(c.before())).isEqualByComparingTo("1")));
        assertThat(results).extracting(change -> ((Changed) change).value().intValueExact())
                .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 64).boxed().toList());
    }

    @Test
    void R13_64_concurrent_increases_at_limit_20_grant_exactly_20() throws Exception {
        UserId user = newUser();

        List<Change> results = concurrently(64, 64, i -> () -> add(user, 1, Limit.of(20)));

        assertThat(results.stream().filter(Changed.class::isInstance).count()).isEqualTo(20);
        assertThat(results.stream().filter(OverLimit.class::isInstance).count()).isEqualTo(44);
        assertThat(value(user)).isEqualByComparingTo("20");
    }

    @Test
    void R13_64_threads_adding_and_removing_never_pass_the_limit_or_zero_and_never_refuse_with_room()
            throws Exception {
        UserId user = newUser();
        add(user, 10, Limit.of(20));

        // Half add one, half remove one: each answer's value stays within [0, 20], and the end
        // value is the start plus the granted increases minus the granted decreases.
        List<Change> results = concurrently(64, 256, i -> () -> add(user, i % 2 == 0 ? 1 : -1, Limit.of(20)));

        long up = 0;
        long down = 0;
        for (int i = 0; i < results.size(); i++) {
            Change change = results.get(i);
            if (change instanceof Changed changed) {
                assertThat(changed.value()).isBetween(BigDecimal.ZERO, BigDecimal.valueOf(20));
                if (i % 2 == 0) {
                    up++;
                } else {
                    down++;
                }
            } else if (change instanceof OverLimit over) {
                assertThat(over.value()).as("refused only when full").isEqualByComparingTo("20");
            } else {
                assertThat(((BelowZero) change).value()).as("refused only when empty").isZero();
            }
        }
        assertThat(value(user)).isEqualByComparingTo(BigDecimal.valueOf(10 + up - down));
    }
}
