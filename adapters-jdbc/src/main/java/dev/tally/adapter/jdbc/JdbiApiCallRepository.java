package dev.tally.adapter.jdbc;

import dev.tally.application.port.ApiCallRepository;
import dev.tally.domain.cost.ApiCall;
import dev.tally.domain.cost.ProviderCost;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.user.UserId;
import java.util.List;
import java.util.Optional;

/** Recorded API calls in SQL (R40–R42), summed per provider by the database. */
public final class JdbiApiCallRepository implements ApiCallRepository {

    private final Db db;

    JdbiApiCallRepository(Db db) {
        this.db = db;
    }

    @Override
    public void insert(ApiCall call) {
        db.inTransaction(handle -> {
            Db.attach(handle, ApiCallDao.class).insert(call.id(), call.user().value(), call.callType(), call.provider(),
                    call.model().orElse(null), call.costUsd(),
                    call.statusCode().isPresent() ? call.statusCode().getAsInt() : null,
                    call.latencyMs().isPresent() ? call.latencyMs().getAsLong() : null, call.occurredAt());
            return null;
        });
    }

    @Override
    public Optional<ApiCall> find(UserId user, String callId) {
        return db.read(handle -> Db.attach(handle, ApiCallDao.class).find(user.value(), callId));
    }

    @Override
    public List<ProviderCost> costsByProvider(UserId user, BillingPeriod period) {
        return db.read(handle -> Db.attach(handle, ApiCallDao.class)
                .costsByProvider(user.value(), period.start(), period.end()));
    }
}
