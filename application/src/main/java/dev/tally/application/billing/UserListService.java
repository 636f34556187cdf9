package dev.tally.application.billing;

import dev.tally.application.port.PeriodTotals;
import dev.tally.application.port.PlanRepository;
import dev.tally.application.port.UsageLedger;
import dev.tally.application.port.UserRepository;
import dev.tally.application.usage.Metering;
import dev.tally.domain.DomainException;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.MetricUsage;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.usage.UsageTotals;
import dev.tally.domain.user.User;
import dev.tally.domain.user.UserId;
import jakarta.inject.Inject;
import dev.tally.application.port.PlanTermsRepository;
import dev.tally.domain.plan.EffectivePlan;
import dev.tally.domain.user.ScheduledPlanChange;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The operator's list of users (R53): each user's plan, current period and worst metric, worst
 * first, filtered by status and paged by an opaque cursor.
 *
 * <p>It reads the users, the plans and the rollups of current periods ({@link UsageLedger#rollupsAt}),
 * never a fact, and computes every figure with {@link Metering#metrics(Plan, Map)}, as the billing
 * overview does (R50), so the list and each user's page agree. A page costs one pass over the
 * users and their current rollups; the cursor keeps paging stable while usage changes.
 */
public class UserListService {

    private static final BigDecimal NO_PERCENT = BigDecimal.valueOf(-1);

    /** Worst first: highest status, then highest percent (unlimited lowest), then user id. */
    private static final Comparator<Position> ORDER = Comparator.comparingInt(Position::severity).reversed()
            .thenComparing(Position::percent, Comparator.reverseOrder())
            .thenComparing(Position::user);

    private final UserRepository users;
    private final PlanRepository plans;
    private final UsageLedger ledger;
    private final Clock clock;
    private final Optional<PlanTermsRepository> terms;

    /** The list of users on their plans as defined, without overrides or scheduled changes. */
    public UserListService(UserRepository users, PlanRepository plans, UsageLedger ledger, Clock clock) {
        this(users, plans, ledger, clock, Optional.empty());
    }

    /** The list of users, each against the plan in force for it now (R73). */
    @Inject
    public UserListService(UserRepository users, PlanRepository plans, UsageLedger ledger, Clock clock,
                           PlanTermsRepository terms) {
        this(users, plans, ledger, clock, Optional.of(terms));
    }

    private UserListService(UserRepository users, PlanRepository plans, UsageLedger ledger, Clock clock,
                            Optional<PlanTermsRepository> terms) {
        this.users = users;
        this.plans = plans;
        this.ledger = ledger;
        this.clock = clock;
        this.terms = terms;
    }

    /** One page of users, worst first; an unreadable cursor is {@code 400 invalid_cursor}. */
    public UserList list(ListUsers query) {
        Optional<Position> after = query.cursor().map(Position::decode);
        Instant now = clock.instant();
        Map<PlanId, Plan> byId = plans.all().stream().collect(Collectors.toMap(Plan::id, Function.identity()));
        Map<UserId, List<PeriodTotals>> rollups = ledger.rollupsAt(now).stream()
                .collect(Collectors.groupingBy(PeriodTotals::user));
        List<UserList.Standing> standings = new ArrayList<>();
        for (User stored : users.all()) {
            PlanTermsRepository.Terms found = terms.map(t -> t.find(stored.id())).orElse(PlanTermsRepository.Terms.NONE);
            User user = ScheduledPlanChange.userAt(stored, found.scheduled(), now);
            Plan defined = byId.get(user.planId());
            if (defined != null) {
                Plan plan = EffectivePlan.at(defined, found.override(), now);
                UserList.Standing standing = standing(user, plan, now, rollups.getOrDefault(user.id(), List.of()));
                if (query.statuses().isEmpty()
                        || standing.worst().filter(w -> query.statuses().contains(w.status())).isPresent()) {
                    standings.add(standing);
                }
            }
        }
        List<UserList.Standing> page = standings.stream()
                .filter(s -> after.map(cursor -> ORDER.compare(Position.of(s), cursor) > 0).orElse(true))
                .sorted(Comparator.comparing(Position::of, ORDER))
                .limit(query.limit() + 1L)
                .toList();
        if (page.size() <= query.limit()) {
            return new UserList(page, Optional.empty());
        }
        List<UserList.Standing> shown = page.subList(0, query.limit());
        return new UserList(shown, Optional.of(Position.of(shown.get(shown.size() - 1)).encode()));
    }

    private static UserList.Standing standing(User user, Plan plan, Instant now, List<PeriodTotals> current) {
        BillingPeriod period = user.periodAt(now);
        Map<MetricKey, UsageTotals> totals = new HashMap<>();
        current.stream().filter(t -> t.period().equals(period)).forEach(t -> totals.put(t.metric(), t.totals()));
        Optional<MetricUsage> worst = Metering.metrics(plan, totals).stream()
                .min(Comparator.comparingInt((MetricUsage m) -> m.status().ordinal()).reversed()
                        .thenComparing(m -> m.percent().orElse(NO_PERCENT), Comparator.reverseOrder()));
        return new UserList.Standing(user.id(), plan.id(), period, worst);
    }

    /** Where a user stands in the order; the cursor is the last shown position, encoded. */
    private record Position(int severity, BigDecimal percent, String user) {

        /** Far longer than any cursor given: a user id is at most 128 characters. */
        private static final int MAX_CURSOR = 400;

        static Position of(UserList.Standing standing) {
            return new Position(standing.worst().map(w -> w.status().ordinal()).orElse(-1),
                    standing.worst().flatMap(MetricUsage::percent).orElse(NO_PERCENT), standing.user().value());
        }

        String encode() {
            String text = severity + ":" + percent.toPlainString() + ":" + user;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        }

        static Position decode(String cursor) {
            if (cursor.length() > MAX_CURSOR) {
                throw DomainException.invalid("invalid_cursor", "cursor is not one this list gave");
            }
            try {
                String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                String[] parts = text.split(":", 3);
                return new Position(Integer.parseInt(parts[0]), new BigDecimal(parts[1]), parts[2]);
            } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
                throw DomainException.invalid("invalid_cursor", "cursor is not one this list gave");
            }
        }
    }
}
