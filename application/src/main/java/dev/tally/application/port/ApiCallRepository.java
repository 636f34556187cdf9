package dev.tally.application.port;

import dev.tally.domain.cost.ApiCall;
import dev.tally.domain.cost.ProviderCost;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.user.UserId;
import java.util.List;
import java.util.Optional;

/** Recorded API calls (R40–R42). */
public interface ApiCallRepository {

    void insert(ApiCall call);

    /** The call, if it exists and belongs to {@code user}. */
    Optional<ApiCall> find(UserId user, String callId);

    /** Cost and number of calls per provider for calls that occurred in {@code period}, in any order. */
    List<ProviderCost> costsByProvider(UserId user, BillingPeriod period);
}
