package dev.tally.adapter.jdbc;

import dev.tally.application.port.PlanRepository;
import dev.tally.application.port.PlanTermsRepository;
import dev.tally.application.port.UserRepository;
import dev.tally.domain.period.BillingCycle;
import dev.tally.domain.period.BillingSchedule;
import dev.tally.domain.period.CycleKind;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.user.User;
import dev.tally.domain.user.UserId;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Users in SQL, each with its whole billing schedule (R1–R4), replaced together. */
public final class JdbiUserRepository implements UserRepository {

    private final Db db;
    private final AccountCatalog catalog;

    JdbiUserRepository(Db db, AccountCatalog catalog) {
        this.db = db;
        this.catalog = catalog;
    }

    @Override
    public void save(User user) {
        String id = user.id().value();
        db.inTransaction(handle -> {
            UserDao dao = Db.attach(handle, UserDao.class);
            Upsert.run(() -> dao.update(id, user.planId().value(), user.createdAt()),
                    () -> dao.insert(id, user.planId().value(), user.createdAt()));
            dao.deleteCycles(id);
            dao.insertCycles(id, UserDao.NumberedCycle.of(user.billing()));
            AccountCatalog.changed(handle);
            return null;
        });
    }

    @Override
    public Optional<User> find(UserId id) {
        List<UserDao.ScheduledRow> rows = db.read(handle -> Db.attach(handle, UserDao.class).find(id.value()));
        return rows.isEmpty() ? Optional.empty()
                : Optional.of(user(id, rows.get(0).user(), rows.stream().flatMap(r -> r.cycle().stream()).toList()));
    }

    @Override
    public List<User> all() {
        List<UserDao.ScheduledRow> rows = db.read(handle -> Db.attach(handle, UserDao.class).all());
        Map<String, List<UserDao.ScheduledRow>> byUser = new LinkedHashMap<>();
        rows.forEach(row -> byUser.computeIfAbsent(row.user().id(), id -> new ArrayList<>()).add(row));
        return byUser.values().stream()
                .map(own -> user(new UserId(own.get(0).user().id()), own.get(0).user(),
                        own.stream().flatMap(r -> r.cycle().stream()).toList()))
                .toList();
    }

    /** Reads the user, its cycles, its plan and the plan's limits in one statement ({@code plans} is not needed). */
    @Override
    public Optional<WithPlan> findWithPlan(UserId id, PlanRepository plans) {
        List<UserDao.SubscribedRow> rows = db.read(handle ->
                Jdbc.list(handle, UserDao.FIND_WITH_PLAN, UserDao.SubscribedRow::map, id.value()));
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        // Each cycle repeats once per limit and each limit once per cycle: keep the first of each.
        Map<Integer, UserDao.CycleRow> cycles = new TreeMap<>();
        Map<String, PlanDao.LimitRow> limits = new LinkedHashMap<>();
        for (UserDao.SubscribedRow row : rows) {
            row.scheduled().cycle().ifPresent(cycle -> cycles.putIfAbsent(row.seq(), cycle));
            row.plan().flatMap(PlanDao.LimitedRow::limit).ifPresent(limit -> limits.putIfAbsent(limit.metric(), limit));
        }
        User user = user(id, rows.get(0).scheduled().user(), List.copyOf(cycles.values()));
        Optional<Plan> plan = rows.get(0).plan()
                .map(row -> JdbiPlanRepository.plan(row.plan(), List.copyOf(limits.values())));
        return Optional.of(new WithPlan(user, plan));
    }

    /**
     * One primary-key read of the account catalog's number, then the user, its plan and its terms
     * as this node kept them under that number, or read again (R14: a change committed before this
     * call changed the number). Terms kept elsewhere than in this database are never kept here.
     */
    @Override
    public Optional<Account> findAccount(UserId id, PlanRepository plans, PlanTermsRepository terms) {
        if (!keeps(terms)) {
            return UserRepository.super.findAccount(id, plans, terms);
        }
        // Inside a group its members share one read of the number, made after every one of them began.
        GroupedAppends group = GroupedAppends.active(db);
        long version = group != null ? group.accountsVersion() : db.read(AccountCatalog::version);
        Optional<Account> kept = catalog.find(id, version);
        if (kept.isPresent()) {
            return kept;
        }
        Optional<Account> read = UserRepository.super.findAccount(id, plans, terms);
        read.ifPresent(account -> catalog.keep(id, version, account));
        return read;
    }

    /**
     * What this node last read of the user, its plan and its terms, without asking whether it is
     * still current (read when nothing is kept): enough to name the rows a decision will lock,
     * never to decide.
     */
    @Override
    public Optional<Account> findAccountAsKept(UserId id, PlanRepository plans, PlanTermsRepository terms) {
        if (keeps(terms)) {
            Optional<Account> kept = catalog.find(id);
            if (kept.isPresent()) {
                return kept;
            }
        }
        return findAccount(id, plans, terms);
    }

    /** Whether accounts read with {@code terms} may be kept: only writes of this database's terms change its number. */
    private boolean keeps(PlanTermsRepository terms) {
        return terms instanceof JdbiPlanTermsRepository own && own.keptIn(catalog);
    }

    private static User user(UserId id, UserDao.UserRow row, List<UserDao.CycleRow> cycleRows) {
        List<BillingCycle> cycles = cycleRows.stream()
                .map(c -> new BillingCycle(CycleKind.fromWireName(c.kind()), c.anchor(), ZoneId.of(c.zone())))
                .toList();
        return new User(id, new PlanId(row.planId()), new BillingSchedule(cycles), row.createdAt());
    }
}
