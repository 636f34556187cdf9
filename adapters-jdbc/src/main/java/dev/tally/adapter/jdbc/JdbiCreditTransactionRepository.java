package dev.tally.adapter.jdbc;

import dev.tally.application.port.CreditAppend;
import dev.tally.application.port.CreditEntry;
import dev.tally.application.port.CreditReconcileReport;
import dev.tally.application.port.CreditTransactionRepository;
import dev.tally.domain.credit.CreditGrant;
import dev.tally.domain.credit.CreditLedger;
import dev.tally.domain.credit.CreditTransaction;
import dev.tally.domain.credit.CreditType;
import dev.tally.domain.credit.Draw;
import dev.tally.domain.credit.SpendingOrder;
import dev.tally.domain.credit.OperationUsage;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The credit ledger in SQL (R30–R34): immutable entries plus one balance row per user, moved in
 * the same transaction by one conditional write when the entry must be covered, so concurrent
 * spends can never take the balance below zero.
 */
public final class JdbiCreditTransactionRepository implements CreditTransactionRepository {

    private final Db db;

    JdbiCreditTransactionRepository(Db db) {
        this.db = db;
    }

    @Override
    public CreditAppend append(CreditEntry entry) {
        return db.inTransaction(handle -> Db.undoable(handle, () -> {
            CreditDao dao = Db.attach(handle, CreditDao.class);
            CreditGrantDao grants = Db.attach(handle, CreditGrantDao.class);
            String user = entry.user().value();
            dao.ensureBalance(user);
            grants.lockBalance(user);
            List<CreditTransaction> expired = expire(dao, grants, entry.user(), entry.createdAt());
            if (entry.periodStart().isPresent()
                    && grants.periodGranted(user, Instants.toNanos(entry.periodStart().get())) > 0) {
                return new CreditAppend.AlreadyGranted();
            }
            long amount = entry.amount();
            long max = CreditLedger.MAX_BALANCE;
            // Beyond 2 max no balance in range can take it; within, the SQL sum cannot overflow.
            boolean fits = amount >= -2 * max && amount <= 2 * max;
            int moved = !fits ? 0
                    : entry.requireCover() ? dao.moveCovered(user, amount, max) : dao.move(user, amount, max);
            long balance = dao.balance(user).orElseThrow();
            if (moved == 0) {
                boolean uncovered = entry.requireCover() && (fits ? balance + amount < 0 : amount < 0);
                return uncovered ? new CreditAppend.Insufficient(balance) : new CreditAppend.OutOfRange(balance);
            }
            List<Draw> draws = entry.draws() ? draw(grants, user, -amount, entry.createdAt()) : List.of();
            CreditTransaction transaction = entry.toTransaction(balance).withDrawnFrom(draws);
            insert(dao, transaction);
            recordDraws(grants, transaction.id(), draws);
            if (entry.isGrant()) {
                Optional<Instant> expiresAt = entry.terms().expiresAt();
                grants.insert(entry.id(), user, entry.type().wireName(), amount, entry.terms().priority(),
                        expiresAt.map(Instants::toNanos).orElse(null),
                        expiresAt.map(Instants::toNanos).orElse(Long.MAX_VALUE), entry.createdAt(),
                        entry.periodStart().map(Instants::toNanos).orElse(null));
            }
            if (entry.type() == CreditType.REFUND) {
                giveBack(dao, grants, transaction);
            }
            return new CreditAppend.Appended(transaction, expired);
        }, result -> result instanceof CreditAppend.Appended));
    }

    private static void insert(CreditDao dao, CreditTransaction transaction) {
        dao.insert(transaction.id(), transaction.user().value(), transaction.type().wireName(), transaction.amount(),
                transaction.operation().orElse(null), transaction.refundOf().orElse(null),
                transaction.reason().orElse(null), transaction.createdAt(), transaction.balanceAfter());
    }

    private static void recordDraws(CreditGrantDao grants, String entryId, List<Draw> draws) {
        for (int i = 0; i < draws.size(); i++) {
            grants.insertDraw(entryId, i, draws.get(i).grantId(), draws.get(i).credits());
        }
    }

    /** Drains the live grants in spending order, a few at a time, reading no more of them than it needs (R35). */
    private static List<Draw> draw(CreditGrantDao grants, String user, long credits, Instant at) {
        List<Draw> draws = new ArrayList<>();
        long left = credits;
        int batch = 8;
        while (left > 0) {
            List<CreditGrant> live = grants.spendable(user, Instants.toNanos(at), batch);
            for (Draw draw : SpendingOrder.draws(live, left, at)) {
                if (grants.draw(draw.grantId(), draw.credits()) != 1) {
                    throw new IllegalStateException("grant " + draw.grantId() + " changed under its balance lock");
                }
                draws.add(draw);
                left -= draw.credits();
            }
            if (live.size() < batch) {
                break;
            }
            batch = Math.min(batch * 4, 1024);
        }
        return draws;
    }

    /** A refund goes back to the grants its usage drew from; to a lapsed one it lapses at once (R36). */
    private static void giveBack(CreditDao dao, CreditGrantDao grants, CreditTransaction refund) {
        String usageId = refund.refundOf().orElseThrow();
        List<CreditGrantDao.DrawRow> rows = grants.draws(usageId);
        Map<String, Long> returned = new HashMap<>();
        rows.forEach(row -> returned.merge(row.grantId(), row.returned(), Long::sum));
        List<Draw> drawn = rows.stream().map(row -> new Draw(row.grantId(), row.credits())).toList();
        String user = refund.user().value();
        for (Draw back : SpendingOrder.returns(drawn, returned, refund.amount())) {
            CreditGrantDao.DrawRow row = rows.stream().filter(r -> r.grantId().equals(back.grantId())).findFirst()
                    .orElseThrow();
            grants.markReturned(usageId, row.position(), back.credits());
            boolean lapsedAlready = grants.expired(back.grantId());
            if (lapsedAlready || grants.giveBack(back.grantId(), back.credits()) != 1) {
                dao.move(user, -back.credits(), CreditLedger.MAX_BALANCE);
                CreditTransaction expiry = new CreditTransaction(CreditGrant.expiryId(refund.id() + ":" + back.grantId()),
                        refund.user(), CreditType.EXPIRY, -back.credits(), Optional.empty(), Optional.empty(),
                        Optional.empty(), refund.createdAt(), dao.balance(user).orElseThrow(), List.of(back));
                insert(dao, expiry);
                recordDraws(grants, expiry.id(), expiry.drawnFrom());
            }
        }
    }

    /** Writes off every grant lapsed by {@code at}; the caller holds the balance row's lock. */
    private static List<CreditTransaction> expire(CreditDao dao, CreditGrantDao grants, UserId user, Instant at) {
        List<CreditTransaction> written = new ArrayList<>();
        for (CreditGrant grant : grants.lapsed(user.value(), Instants.toNanos(at))) {
            if (grants.lapse(grant.id()) != 1 || grant.remaining() == 0) {
                continue;
            }
            dao.move(user.value(), -grant.remaining(), CreditLedger.MAX_BALANCE);
            CreditTransaction expiry = new CreditTransaction(CreditGrant.expiryId(grant.id()), user, CreditType.EXPIRY,
                    -grant.remaining(), Optional.empty(), Optional.empty(), Optional.empty(),
                    grant.expiresAt().orElseThrow(), dao.balance(user.value()).orElseThrow(),
                    List.of(new Draw(grant.id(), grant.remaining())));
            insert(dao, expiry);
            recordDraws(grants, expiry.id(), expiry.drawnFrom());
            written.add(expiry);
        }
        return written;
    }

    @Override
    public List<CreditTransaction> expire(UserId user, Instant at) {
        // Most reads find nothing lapsed and take no lock.
        if (db.read(handle -> Db.attach(handle, CreditGrantDao.class)
                .lapsed(user.value(), Instants.toNanos(at))).isEmpty()) {
            return List.of();
        }
        return db.inTransaction(handle -> {
            CreditDao dao = Db.attach(handle, CreditDao.class);
            CreditGrantDao grants = Db.attach(handle, CreditGrantDao.class);
            dao.ensureBalance(user.value());
            grants.lockBalance(user.value());
            return expire(dao, grants, user, at);
        });
    }

    @Override
    public long holdBalance(UserId user, Instant at) {
        // The row lock of the caller's transaction: held until it commits or rolls back.
        return db.inTransaction(handle -> {
            CreditGrantDao grants = Db.attach(handle, CreditGrantDao.class);
            Db.attach(handle, CreditDao.class).ensureBalance(user.value());
            long stored = grants.lockBalance(user.value()).orElseThrow();
            return stored - grants.lapsedRemainder(user.value(), Instants.toNanos(at));
        });
    }

    @Override
    public long balance(UserId user, Instant at) {
        return db.read(handle -> {
            long stored = Db.attach(handle, CreditDao.class).balance(user.value()).orElse(0L);
            return stored - Db.attach(handle, CreditGrantDao.class).lapsedRemainder(user.value(), Instants.toNanos(at));
        });
    }

    @Override
    public List<CreditGrant> grants(UserId user, int limit, int offset) {
        return db.read(handle -> Db.attach(handle, CreditGrantDao.class).page(user.value(), limit, offset));
    }

    @Override
    public List<CreditGrant> liveGrants(UserId user, Instant at, int limit) {
        return db.read(handle -> Db.attach(handle, CreditGrantDao.class).spendable(user.value(), Instants.toNanos(at),
                limit));
    }

    @Override
    public Optional<CreditGrant> periodGrant(UserId user, Instant periodStart) {
        return db.read(handle -> Db.attach(handle, CreditGrantDao.class)
                .periodGrant(user.value(), Instants.toNanos(periodStart)));
    }

    @Override
    public Optional<Instant> latestPeriodGranted(UserId user) {
        return db.read(handle -> Db.attach(handle, CreditGrantDao.class).latestPeriodStart(user.value()))
                .map(Instants::fromNanos);
    }

    private List<CreditTransaction> withDraws(List<CreditTransaction> entries) {
        List<String> ids = entries.stream()
                .filter(e -> e.type() == CreditType.USAGE || e.type() == CreditType.EXPIRY
                        || e.type() == CreditType.ADJUSTMENT && e.amount() < 0)
                .map(CreditTransaction::id).toList();
        if (ids.isEmpty()) {
            return entries;
        }
        Map<String, List<Draw>> byEntry = new HashMap<>();
        db.read(handle -> Db.attach(handle, CreditGrantDao.class).drawsOf(ids)).forEach(row -> byEntry
                .computeIfAbsent(row.entryId(), id -> new ArrayList<>()).add(new Draw(row.grantId(), row.credits())));
        return entries.stream().map(e -> e.withDrawnFrom(byEntry.getOrDefault(e.id(), List.of()))).toList();
    }

    @Override
    public long balance(UserId user) {
        return db.read(handle -> Db.attach(handle, CreditDao.class).balance(user.value())).orElse(0L);
    }

    @Override
    public Optional<CreditTransaction> find(UserId user, String transactionId) {
        return db.read(handle -> Db.attach(handle, CreditDao.class).find(user.value(), transactionId))
                .map(found -> withDraws(List.of(found)).get(0));
    }

    @Override
    public long refunded(String usageTransactionId) {
        return db.read(handle -> Db.attach(handle, CreditDao.class).refunded(usageTransactionId)).orElse(0L);
    }

    @Override
    public boolean addRefunded(String usageTransactionId, long amount) {
        return db.inTransaction(handle ->
                Db.attach(handle, CreditDao.class).addRefunded(usageTransactionId, amount)) == 1;
    }

    @Override
    public List<OperationUsage> usageByOperation(UserId user, BillingPeriod period) {
        return db.read(handle -> Db.attach(handle, CreditDao.class)
                .usageByOperation(user.value(), period.start(), period.end()));
    }

    @Override
    public List<CreditTransaction> page(UserId user, int limit, int offset) {
        return withDraws(db.read(handle -> Db.attach(handle, CreditDao.class).page(user.value(), limit, offset)));
    }

    /**
     * Reads the whole ledger in one transaction; each balance is compared with its sum in one
     * statement. Grants and draws are read apart, so a spend running meanwhile may show as a drift
     * that a second run no longer finds.
     */
    @Override
    public CreditReconcileReport reconcile() {
        return db.inTransaction(handle -> {
            CreditGrantDao grants = Db.attach(handle, CreditGrantDao.class);
            Map<UserId, Long> balances = new HashMap<>();
            Map<UserId, Long> sums = new HashMap<>();
            for (CreditGrantDao.UserSum row : grants.balances()) {
                balances.put(new UserId(row.user()), row.balance());
                sums.put(new UserId(row.user()), row.total());
            }
            return CreditReconcileReport.check(balances, sums, grants.allGrants(), grants.allDraws());
        });
    }

    @Override
    public long count(UserId user) {
        return db.read(handle -> Db.attach(handle, CreditDao.class).count(user.value()));
    }
}
