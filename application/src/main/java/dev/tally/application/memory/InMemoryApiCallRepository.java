package dev.tally.application.memory;

import dev.tally.application.port.ApiCallRepository;
import dev.tally.domain.cost.ApiCall;
import dev.tally.domain.cost.ProviderCost;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.user.UserId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Recorded API calls in memory. */
public final class InMemoryApiCallRepository implements ApiCallRepository {

    private final Map<UserId, List<ApiCall>> calls = new ConcurrentHashMap<>();

    @Override
    public void insert(ApiCall call) {
        calls.computeIfAbsent(call.user(), u -> new CopyOnWriteArrayList<>()).add(call);
    }

    @Override
    public Optional<ApiCall> find(UserId user, String callId) {
        return calls.getOrDefault(user, List.of()).stream().filter(call -> call.id().equals(callId)).findFirst();
    }

    @Override
    public List<ProviderCost> costsByProvider(UserId user, BillingPeriod period) {
        Map<String, ProviderCost> byProvider = new TreeMap<>();
        for (ApiCall call : calls.getOrDefault(user, List.of())) {
            if (period.contains(call.occurredAt())) {
                byProvider.merge(call.provider(), new ProviderCost(call.provider(), call.costUsd(), 1),
                        (a, b) -> new ProviderCost(a.provider(), a.costUsd().add(b.costUsd()), a.calls() + b.calls()));
            }
        }
        return List.copyOf(byProvider.values());
    }

}
