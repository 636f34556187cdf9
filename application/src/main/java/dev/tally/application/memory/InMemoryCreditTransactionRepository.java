package dev.tally.application.memory;

import dev.tally.application.port.CreditAppend;
import dev.tally.application.port.CreditEntry;
import dev.tally.application.port.CreditReconcileReport;
import dev.tally.application.port.CreditTransactionRepository;
import dev.tally.domain.credit.CreditGrant;
import dev.tally.domain.credit.CreditLedger;
import dev.tally.domain.credit.CreditTransaction;
import dev.tally.domain.credit.CreditType;
import dev.tally.domain.credit.Draw;
import dev.tally.domain.credit.OperationUsage;
import dev.tally.domain.credit.SpendingOrder;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The credit ledger in memory. A user's entries, grants and balance change under that user's
 * lock, so a spend can never take the balance below zero however many threads try (R31), and a
 * grant lapses exactly once (R36).
 */
public final class InMemoryCreditTransactionRepository implements CreditTransactionRepository {

    private static final class Account {
        final List<CreditTransaction> entries = new ArrayList<>();
        final Map<String, CreditGrant> grants = new LinkedHashMap<>();
        final Map<String, Map<String, Long>> returned = new HashMap<>();
        final TreeMap<Instant, String> periodGrants = new TreeMap<>();
        long balance;
        /** Held by every change of the account, and by a use case that decides on the balance until it ends. */
        final ReentrantLock lock = new ReentrantLock();
    }

    private final Map<UserId, Account> accounts = new ConcurrentHashMap<>();
    private final Map<String, CreditTransaction> byId = new ConcurrentHashMap<>();
    private final Map<String, Long> refunded = new ConcurrentHashMap<>();

    /** Where a held balance is released when the use case holding it ends; none releases it at once. */
    private final InMemoryTransactions transactions;

    /** A ledger whose held balances are released at once: for a ledger used outside any use case. */
    public InMemoryCreditTransactionRepository() {
        this(null);
    }

    /** A ledger whose held balances stay held until the use case of {@code transactions} holding them ends. */
    public InMemoryCreditTransactionRepository(InMemoryTransactions transactions) {
        this.transactions = transactions;
    }

    @Override
    public long holdBalance(UserId user, Instant at) {
        Account account = account(user);
        account.lock.lock();
        if (transactions == null) {
            account.lock.unlock();
        } else {
            transactions.whenEnded(account.lock::unlock);
        }
        return balance(user, at);
    }

    private Account account(UserId user) {
        return accounts.computeIfAbsent(user, u -> new Account());
    }

    @Override
    public CreditAppend append(CreditEntry entry) {
        Account account = account(entry.user());
        account.lock.lock();
        try {
            List<CreditTransaction> expired = expire(account, entry.user(), entry.createdAt());
            if (entry.periodStart().filter(account.periodGrants::containsKey).isPresent()) {
                return new CreditAppend.AlreadyGranted();
            }
            long after;
            try {
                after = Math.addExact(account.balance, entry.amount());
            } catch (ArithmeticException beyondLong) {
                return entry.requireCover() && entry.amount() < 0 ? new CreditAppend.Insufficient(account.balance)
                        : new CreditAppend.OutOfRange(account.balance);
            }
            if (entry.requireCover() && after < 0) {
                return new CreditAppend.Insufficient(account.balance);
            }
            if (Math.abs(after) > CreditLedger.MAX_BALANCE) {
                return new CreditAppend.OutOfRange(account.balance);
            }
            List<Draw> draws = entry.draws()
                    ? SpendingOrder.draws(account.grants.values(), -entry.amount(), entry.createdAt()) : List.of();
            CreditTransaction transaction = entry.toTransaction(after).withDrawnFrom(draws);
            add(account, transaction);
            account.balance = after;
            draws.forEach(draw -> account.grants.compute(draw.grantId(), (id, grant) -> grant.drawn(draw.credits())));
            if (entry.isGrant()) {
                account.grants.put(entry.id(), CreditGrant.of(entry.id(), entry.user(), entry.type(), entry.amount(),
                        entry.terms(), entry.createdAt()));
                entry.periodStart().ifPresent(start -> account.periodGrants.put(start, entry.id()));
            }
            if (entry.type() == CreditType.REFUND) {
                giveBack(account, transaction);
            }
            return new CreditAppend.Appended(transaction, expired);
        } finally {
            account.lock.unlock();
        }
    }

    /** A refund's credits go back to the grants its usage drew from; to a lapsed one they lapse at once (R36). */
    private void giveBack(Account account, CreditTransaction refund) {
        String usageId = refund.refundOf().orElseThrow();
        Map<String, Long> returned = account.returned.computeIfAbsent(usageId, id -> new HashMap<>());
        List<Draw> returns = SpendingOrder.returns(byId.get(usageId).drawnFrom(), returned, refund.amount());
        for (Draw back : returns) {
            returned.merge(back.grantId(), back.credits(), Long::sum);
            CreditGrant grant = account.grants.get(back.grantId());
            if (grant.expired() || grant.terms().expiredAt(refund.createdAt())) {
                account.balance -= back.credits();
                add(account, new CreditTransaction(CreditGrant.expiryId(refund.id() + ":" + back.grantId()), refund.user(),
                        CreditType.EXPIRY, -back.credits(), Optional.empty(), Optional.empty(), Optional.empty(),
                        refund.createdAt(), account.balance, List.of(back)));
            } else {
                account.grants.put(grant.id(), grant.returned(back.credits()));
            }
        }
    }

    private void add(Account account, CreditTransaction transaction) {
        if (byId.putIfAbsent(transaction.id(), transaction) != null) {
            throw new IllegalStateException("credit transaction " + transaction.id() + " already exists");
        }
        account.entries.add(transaction);
    }

    private List<CreditTransaction> expire(Account account, UserId user, Instant at) {
        List<CreditTransaction> written = new ArrayList<>();
        for (CreditGrant grant : List.copyOf(account.grants.values())) {
            if (!grant.expired() && grant.terms().expiredAt(at)) {
                account.grants.put(grant.id(), grant.lapsed());
                if (grant.remaining() > 0) {
                    account.balance -= grant.remaining();
                    CreditTransaction expiry = new CreditTransaction(CreditGrant.expiryId(grant.id()), user, CreditType.EXPIRY,
                            -grant.remaining(), Optional.empty(), Optional.empty(), Optional.empty(),
                            grant.expiresAt().orElseThrow(), account.balance,
                            List.of(new Draw(grant.id(), grant.remaining())));
                    add(account, expiry);
                    written.add(expiry);
                }
            }
        }
        return written;
    }

    @Override
    public long balance(UserId user) {
        Account account = account(user);
        account.lock.lock();
        try {
            return account.balance;
        } finally {
            account.lock.unlock();
        }
    }

    @Override
    public long balance(UserId user, Instant at) {
        Account account = account(user);
        account.lock.lock();
        try {
            long lapsed = account.grants.values().stream()
                    .filter(grant -> !grant.expired()).mapToLong(grant -> grant.remaining() - grant.countingAt(at)).sum();
            return account.balance - lapsed;
        } finally {
            account.lock.unlock();
        }
    }

    @Override
    public List<CreditTransaction> expire(UserId user, Instant at) {
        Account account = account(user);
        account.lock.lock();
        try {
            return expire(account, user, at);
        } finally {
            account.lock.unlock();
        }
    }

    @Override
    public List<CreditGrant> grants(UserId user, int limit, int offset) {
        Account account = account(user);
        account.lock.lock();
        try {
            List<CreditGrant> newestFirst = new ArrayList<>(account.grants.values());
            Collections.reverse(newestFirst);
            return newestFirst.stream().skip(offset).limit(limit).toList();
        } finally {
            account.lock.unlock();
        }
    }

    @Override
    public List<CreditGrant> liveGrants(UserId user, Instant at, int limit) {
        Account account = account(user);
        synchronized (account) {
            return account.grants.values().stream().filter(grant -> grant.liveAt(at)).sorted(SpendingOrder.ORDER)
                    .limit(limit).toList();
        }
    }

    @Override
    public Optional<CreditGrant> periodGrant(UserId user, Instant periodStart) {
        Account account = account(user);
        account.lock.lock();
        try {
            return Optional.ofNullable(account.periodGrants.get(periodStart)).map(account.grants::get);
        } finally {
            account.lock.unlock();
        }
    }

    @Override
    public Optional<Instant> latestPeriodGranted(UserId user) {
        Account account = account(user);
        account.lock.lock();
        try {
            return account.periodGrants.isEmpty() ? Optional.empty() : Optional.of(account.periodGrants.lastKey());
        } finally {
            account.lock.unlock();
        }
    }

    @Override
    public Optional<CreditTransaction> find(UserId user, String transactionId) {
        return Optional.ofNullable(byId.get(transactionId)).filter(t -> t.user().equals(user));
    }

    @Override
    public long refunded(String usageTransactionId) {
        return refunded.getOrDefault(usageTransactionId, 0L);
    }

    @Override
    public boolean addRefunded(String usageTransactionId, long amount) {
        CreditTransaction usage = byId.get(usageTransactionId);
        if (usage == null || usage.type() != CreditType.USAGE || amount <= 0) {
            return false;
        }
        boolean[] added = new boolean[1];
        refunded.compute(usageTransactionId, (id, sofar) -> {
            long current = sofar == null ? 0 : sofar;
            added[0] = current + amount <= usage.spent();
            return added[0] ? current + amount : current;
        });
        return added[0];
    }

    @Override
    public List<OperationUsage> usageByOperation(UserId user, BillingPeriod period) {
        Account account = account(user);
        Map<String, long[]> byOperation = new TreeMap<>();
        account.lock.lock();
        try {
            for (CreditTransaction entry : account.entries) {
                if (entry.type() == CreditType.USAGE && period.contains(entry.createdAt())) {
                    long[] sums = byOperation.computeIfAbsent(entry.operation().orElseThrow(), op -> new long[2]);
                    sums[0] += entry.spent();
                    sums[1] += refunded(entry.id());
                }
            }
        } finally {
            account.lock.unlock();
        }
        return byOperation.entrySet().stream()
                .map(e -> OperationUsage.of(e.getKey(), e.getValue()[0], e.getValue()[1]))
                .toList();
    }

    @Override
    public List<CreditTransaction> page(UserId user, int limit, int offset) {
        Account account = account(user);
        account.lock.lock();
        try {
            List<CreditTransaction> newestFirst = new ArrayList<>(account.entries);
            Collections.reverse(newestFirst);
            return newestFirst.stream()
                    .skip(offset)
                    .limit(limit)
                    .toList();
        } finally {
            account.lock.unlock();
        }
    }

    @Override
    public CreditReconcileReport reconcile() {
        Map<UserId, Long> balances = new HashMap<>();
        Map<UserId, Long> sums = new HashMap<>();
        List<CreditGrant> grants = new ArrayList<>();
        List<CreditReconcileReport.DrawFact> draws = new ArrayList<>();
        accounts.forEach((user, account) -> {
            synchronized (account) {
                balances.put(user, account.balance);
                sums.put(user, account.entries.stream().mapToLong(CreditTransaction::amount).sum());
                grants.addAll(account.grants.values());
                for (CreditTransaction entry : account.entries) {
                    Map<String, Long> returned = entry.type() == CreditType.USAGE
                            ? account.returned.getOrDefault(entry.id(), Map.of()) : Map.of();
                    for (Draw draw : entry.drawnFrom()) {
                        draws.add(new CreditReconcileReport.DrawFact(entry.id(), entry.type(), entry.createdAt(),
                                draw.grantId(), draw.credits(), returned.getOrDefault(draw.grantId(), 0L)));
                    }
                }
            }
        });
        return CreditReconcileReport.check(balances, sums, grants, draws);
    }

    @Override
    public long count(UserId user) {
        Account account = account(user);
        account.lock.lock();
        try {
            return account.entries.size();
        } finally {
            account.lock.unlock();
        }
    }
}
