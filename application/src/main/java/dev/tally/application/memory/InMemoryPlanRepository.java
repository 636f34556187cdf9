package dev.tally.application.memory;

import dev.tally.application.port.PlanRepository;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Plans in memory. */
public final class InMemoryPlanRepository implements PlanRepository {

    private final Map<PlanId, Plan> plans = new ConcurrentHashMap<>();

    @Override
    public void save(Plan plan) {
        plans.put(plan.id(), plan);
    }

    @Override
    public Optional<Plan> find(PlanId id) {
        return Optional.ofNullable(plans.get(id));
    }

    @Override
    public List<Plan> all() {
        return plans.values().stream().sorted(Comparator.comparing(p -> p.id().value())).toList();
    }
}
