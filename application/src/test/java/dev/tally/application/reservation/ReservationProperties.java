package dev.tally.application.reservation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.application.ManualClock;
import dev.tally.application.Tally;
import dev.tally.application.usecase.Outcome;
import dev.tally.application.user.PutUser;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.MetricUsage;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.usage.Reservation;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * R71 as a property: for any sequence of holds, commits, releases and clock moves, a hold is
 * granted exactly when {@code used + live holds + q <= limit} (never beyond the limit, never
 * refused with room), shown usage is always {@code used} and the live holds, and a hold stops
 * counting exactly at its expiry instant, before any sweep.
 */
class ReservationProperties {

    private static final MetricKey TOKENS = new MetricKey("tokens");
    private static final long LIMIT = 100;
    private static final Instant START = Instant.parse("2026-03-10T12:00:00Z");

    /** The model's view of one hold. */
    private static final class Held {
        final Reservation reservation;
        boolean ended;

        Held(Reservation reservation) {
            this.reservation = reservation;
        }
    }

    @Property(tries = 200)
    void R71_used_plus_live_holds_never_exceed_the_limit_and_expired_holds_stop_counting_at_their_instant(
            @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 99_999) Integer> steps) {
        ManualClock clock = new ManualClock(START);
        Tally tally = Tally.inMemory(clock);
        tally.plans().put(Plan.of(new PlanId("p"), "P", new PlanLimits(Map.of(TOKENS, Limit.of(LIMIT)))));
        UserId user = new UserId("u");
        tally.users().put(PutUser.of(user, new PlanId("p")));
        List<Held> holds = new ArrayList<>();
        long used = 0;

        for (int step : steps) {
            int arg = step / 4;
            Instant now = clock.instant();
            switch (step % 4) {
                case 0 -> {
                    long quantity = 1 + arg % 40;
                    long ttl = 1 + arg % 120;
                    boolean fits = used + live(holds, now) + quantity <= LIMIT;
                    Outcome<Reservation> held = tally.reservations().hold(new HoldReservation(user, TOKENS,
                            BigDecimal.valueOf(quantity), OptionalLong.of(ttl), Optional.empty()));
                    assertThat(held.isRefused()).as("hold %d with %d used and %d held", quantity, used,
                            live(holds, now)).isEqualTo(!fits);
                    if (!held.isRefused()) {
                        holds.add(new Held(held.orElseThrow()));
                    }
                }
                case 1, 2 -> {
                    if (holds.isEmpty()) {
                        continue;
                    }
                    Held target = holds.get(arg % holds.size());
                    Reservation hold = target.reservation;
                    boolean commit = step % 4 == 1;
                    long actual = commit ? arg % (hold.quantity().longValue() + 1) : 0;
                    EndReservation end = commit
                            ? EndReservation.commit(user, hold.id(), Optional.of(BigDecimal.valueOf(actual)),
                                    Optional.empty())
                            : EndReservation.release(user, hold.id(), Optional.empty());
                    if (target.ended) {
                        assertThatThrownBy(() -> tally.reservations().end(end)).extracting("code")
                                .isIn("reservation_not_held", "reservation_expired");
                    } else if (!now.isBefore(hold.expiresAt())) {
                        assertThatThrownBy(() -> tally.reservations().end(end)).extracting("code")
                                .isEqualTo("reservation_expired");
                        target.ended = true;
                    } else {
                        tally.reservations().end(end);
                        target.ended = true;
                        used += actual;
                    }
                }
                default -> clock.advance(Duration.ofSeconds(arg % 90));
            }
            Instant at = clock.instant();
            MetricUsage shown = tally.usage().usage(user, Optional.empty()).metric(TOKENS).orElseThrow();
            assertThat(shown.used()).as("used").isEqualByComparingTo(BigDecimal.valueOf(used));
            assertThat(shown.reserved()).as("live holds at %s", at).isEqualByComparingTo(BigDecimal.valueOf(live(holds,
                    at)));
            assertThat(used + live(holds, at)).isLessThanOrEqualTo(LIMIT);
        }
    }

    /** What the holds not ended and not expired at {@code now} hold. */
    private static long live(List<Held> holds, Instant now) {
        return holds.stream()
                .filter(h -> !h.ended && now.isBefore(h.reservation.expiresAt()))
                .mapToLong(h -> h.reservation.quantity().longValue())
                .sum();
    }
}
