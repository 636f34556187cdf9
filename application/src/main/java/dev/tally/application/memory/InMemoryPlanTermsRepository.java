package dev.tally.application.memory;

import dev.tally.application.port.PlanTermsRepository;
import dev.tally.domain.plan.PlanOverride;
import dev.tally.domain.user.ScheduledPlanChange;
import dev.tally.domain.user.UserId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Users' overrides and scheduled plan changes in memory (R73). */
public final class InMemoryPlanTermsRepository implements PlanTermsRepository {

    private final Map<UserId, PlanOverride> overrides = new ConcurrentHashMap<>();
    private final Map<UserId, ScheduledPlanChange> scheduled = new ConcurrentHashMap<>();

    @Override
    public Terms find(UserId user) {
        return new Terms(Optional.ofNullable(overrides.get(user)), Optional.ofNullable(scheduled.get(user)));
    }

    @Override
    public void saveOverride(UserId user, PlanOverride override) {
        overrides.put(user, override);
    }

    @Override
    public boolean deleteOverride(UserId user) {
        return overrides.remove(user) != null;
    }

    @Override
    public void saveScheduled(UserId user, ScheduledPlanChange change) {
        scheduled.put(user, change);
    }

    @Override
    public boolean deleteScheduled(UserId user) {
        return scheduled.remove(user) != null;
    }
}
