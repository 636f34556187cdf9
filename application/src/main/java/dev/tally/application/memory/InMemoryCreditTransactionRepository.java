package dev.tally.application.memory;

import dev.tally.application.port.CreditAppend;
import dev.tally.application.port.CreditEntry;
import dev.tally.application.port.CreditTransactionRepository;
import dev.tally.domain.credit.CreditLedger;
import dev.tally.domain.credit.CreditTransaction;
import dev.tally.domain.credit.CreditType;
import dev.tally.domain.credit.OperationUsage;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.user.UserId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The credit ledger in memory. A user's entries and balance change under that user's lock, so a
 * spend can never take the balance below zero however many threads try (R31).
 */
public final class InMemoryCreditTransactionRepository implements CreditTransactionRepository {

    private static final class Account {
        final List<CreditTransaction> entries = new ArrayList<>();
        long balance;
    }

    private final Map<UserId, Account> accounts = new ConcurrentHashMap<>();
    private final Map<String, CreditTransaction> byId = new ConcurrentHashMap<>();
    private final Map<String, Long> refunded = new ConcurrentHashMap<>();

    private Account account(UserId user) {
        return accounts.computeIfAbsent(user, u -> new Account());
    }

    @Override
    public CreditAppend append(CreditEntry entry) {
        Account account = account(entry.user());
        synchronized (account) {
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
            CreditTransaction transaction = entry.toTransaction(after);
            if (byId.putIfAbsent(transaction.id(), transaction) != null) {
                throw new IllegalStateException("credit transaction " + transaction.id() + " already exists");
            }
            account.entries.add(transaction);
            account.balance = after;
            return new CreditAppend.Appended(transaction);
        }
    }

    @Override
    public long balance(UserId user) {
        Account account = account(user);
        synchronized (account) {
            return account.balance;
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
        synchronized (account) {
            for (CreditTransaction entry : account.entries) {
                if (entry.type() == CreditType.USAGE && period.contains(entry.createdAt())) {
                    long[] sums = byOperation.computeIfAbsent(entry.operation().orElseThrow(), op -> new long[2]);
                    sums[0] += entry.spent();
                    sums[1] += refunded(entry.id());
                }
            }
        }
        return byOperation.entrySet().stream()
                .map(e -> OperationUsage.of(e.getKey(), e.getValue()[0], e.getValue()[1]))
                .toList();
    }

    @Override
    public List<CreditTransaction> page(UserId user, int limit, int offset) {
        Account account = account(user);
        synchronized (account) {
            List<CreditTransaction> newestFirst = new ArrayList<>(account.entries);
            Collections.reverse(newestFirst);
            return newestFirst.stream()
                    .skip(offset)
                    .limit(limit)
                    .toList();
        }
    }

    @Override
    public long count(UserId user) {
        Account account = account(user);
        synchronized (account) {
            return account.entries.size();
        }
    }
}
