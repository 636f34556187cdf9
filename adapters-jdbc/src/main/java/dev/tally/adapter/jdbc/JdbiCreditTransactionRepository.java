package dev.tally.adapter.jdbc;

import dev.tally.application.port.CreditAppend;
import dev.tally.application.port.CreditEntry;
import dev.tally.application.port.CreditTransactionRepository;
import dev.tally.domain.credit.CreditLedger;
import dev.tally.domain.credit.CreditTransaction;
import dev.tally.domain.credit.OperationUsage;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.user.UserId;
import java.util.List;
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
            String user = entry.user().value();
            dao.ensureBalance(user);
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
            CreditTransaction transaction = entry.toTransaction(balance);
            dao.insert(transaction.id(), user, transaction.type().wireName(), transaction.amount(),
                    transaction.operation().orElse(null), transaction.refundOf().orElse(null),
                    transaction.reason().orElse(null), transaction.createdAt(), balance);
            return new CreditAppend.Appended(transaction);
        }, result -> result instanceof CreditAppend.Appended));
    }

    @Override
    public long balance(UserId user) {
        return db.read(handle -> Db.attach(handle, CreditDao.class).balance(user.value())).orElse(0L);
    }

    @Override
    public Optional<CreditTransaction> find(UserId user, String transactionId) {
        return db.read(handle -> Db.attach(handle, CreditDao.class).find(user.value(), transactionId));
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
        return db.read(handle -> Db.attach(handle, CreditDao.class).page(user.value(), limit, offset));
    }

    @Override
    public long count(UserId user) {
        return db.read(handle -> Db.attach(handle, CreditDao.class).count(user.value()));
    }
}
