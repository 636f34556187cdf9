package dev.tally.adapter.jdbc;

import dev.tally.application.port.UserRepository;
import dev.tally.domain.period.BillingCycle;
import dev.tally.domain.period.BillingSchedule;
import dev.tally.domain.period.CycleKind;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.user.User;
import dev.tally.domain.user.UserId;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Users in SQL, each with its whole billing schedule (R1–R4), replaced together. */
public final class JdbiUserRepository implements UserRepository {

    private final Db db;

    public JdbiUserRepository(Jdbi jdbi) {
        this.db = new Db(jdbi);
    }

    @Override
    public void save(User user) {
        String id = user.id().value();
        db.inTransaction(handle -> {
            UserDao dao = handle.attach(UserDao.class);
            Upsert.run(() -> dao.update(id, user.planId().value(), user.createdAt()),
                    () -> dao.insert(id, user.planId().value(), user.createdAt()));
            dao.deleteCycles(id);
            dao.insertCycles(id, UserDao.NumberedCycle.of(user.billing()));
            return null;
        });
    }

    @Override
    public Optional<User> find(UserId id) {
        List<UserDao.ScheduledRow> rows = db.read(handle -> handle.attach(UserDao.class).find(id.value()));
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        UserDao.UserRow row = rows.get(0).user();
        List<BillingCycle> cycles = rows.stream()
                .flatMap(r -> r.cycle().stream())
                .map(c -> new BillingCycle(CycleKind.fromWireName(c.kind()), c.anchor(), ZoneId.of(c.zone())))
                .toList();
        return Optional.of(new User(id, new PlanId(row.planId()), new BillingSchedule(cycles), row.createdAt()));
    }
}
