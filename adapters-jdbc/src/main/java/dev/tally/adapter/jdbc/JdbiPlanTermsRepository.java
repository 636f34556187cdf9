package dev.tally.adapter.jdbc;

import dev.tally.application.port.PlanTermsRepository;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanOverride;
import dev.tally.domain.user.ScheduledPlanChange;
import dev.tally.domain.user.UserId;
import java.util.Optional;

/** Users' overrides and scheduled plan changes in SQL (R73). */
public final class JdbiPlanTermsRepository implements PlanTermsRepository {

    private final Db db;
    private final AccountCatalog catalog;

    JdbiPlanTermsRepository(Db db, AccountCatalog catalog) {
        this.db = db;
        this.catalog = catalog;
    }

    /** Whether these terms are read from the database whose accounts {@code catalog} keeps. */
    boolean keptIn(AccountCatalog catalog) {
        return this.catalog == catalog;
    }

    @Override
    public Terms find(UserId user) {
        Optional<PlanTermsDao.TermsRow> row = db.read(handle -> Db.attach(handle, PlanTermsDao.class)
                .find(user.value()));
        if (row.isEmpty()) {
            return Terms.NONE;
        }
        PlanTermsDao.TermsRow found = row.get();
        Optional<PlanOverride> override = Optional.ofNullable(found.terms()).map(terms ->
                PlanTermsText.override(terms, Optional.ofNullable(found.expiresAt()).map(Instants::fromNanos)));
        Optional<ScheduledPlanChange> scheduled = Optional.ofNullable(found.planId()).map(plan ->
                new ScheduledPlanChange(new PlanId(plan), Instants.fromNanos(found.applyAt())));
        return new Terms(override, scheduled);
    }

    @Override
    public void saveOverride(UserId user, PlanOverride override) {
        String terms = PlanTermsText.override(override);
        Long expiresAt = override.expiresAt().map(Instants::toNanos).orElse(null);
        db.inTransaction(handle -> {
            PlanTermsDao dao = Db.attach(handle, PlanTermsDao.class);
            Upsert.run(() -> dao.updateOverride(user.value(), terms, expiresAt),
                    () -> dao.insertOverride(user.value(), terms, expiresAt));
            AccountCatalog.changed(handle);
            return null;
        });
    }

    @Override
    public boolean deleteOverride(UserId user) {
        return db.inTransaction(handle -> {
            boolean deleted = Db.attach(handle, PlanTermsDao.class).deleteOverride(user.value()) > 0;
            AccountCatalog.changed(handle);
            return deleted;
        });
    }

    @Override
    public void saveScheduled(UserId user, ScheduledPlanChange change) {
        long at = Instants.toNanos(change.at());
        db.inTransaction(handle -> {
            PlanTermsDao dao = Db.attach(handle, PlanTermsDao.class);
            Upsert.run(() -> dao.updateScheduled(user.value(), change.plan().value(), at),
                    () -> dao.insertScheduled(user.value(), change.plan().value(), at));
            AccountCatalog.changed(handle);
            return null;
        });
    }

    @Override
    public boolean deleteScheduled(UserId user) {
        return db.inTransaction(handle -> {
            boolean deleted = Db.attach(handle, PlanTermsDao.class).deleteScheduled(user.value()) > 0;
            AccountCatalog.changed(handle);
            return deleted;
        });
    }
}
