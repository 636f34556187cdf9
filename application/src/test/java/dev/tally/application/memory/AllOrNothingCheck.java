package dev.tally.application.memory;

import dev.tally.application.port.ActivationCodeRepository;
import dev.tally.application.port.AllocationRepository;
import dev.tally.application.port.ApiCallRepository;
import dev.tally.application.port.ApiKeyRepository;
import dev.tally.application.port.AppendResult;
import dev.tally.application.port.CreditAppend;
import dev.tally.application.port.CreditTransactionRepository;
import dev.tally.application.port.IdempotencyStore;
import dev.tally.application.port.ModelPriceRepository;
import dev.tally.application.port.PlanRepository;
import dev.tally.application.port.PlanTermsRepository;
import dev.tally.application.port.ReportRunRepository;
import dev.tally.application.port.ReserveResult;
import dev.tally.application.port.SessionRepository;
import dev.tally.application.port.TallyStorage;
import dev.tally.application.port.Transactions;
import dev.tally.application.port.UsageLedger;
import dev.tally.application.port.UserRepository;
import dev.tally.application.usecase.Outcome;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Checks, while use cases run, the convention {@link InMemoryTransactions} relies on: it cannot undo
 * a write, so a use case must make its one refusable step its first write. Wraps each port of a
 * storage to note the writes of every transaction, and reports a transaction in which a write was
 * declined (a limit, a balance, a missing row) after another write, or which ended refused or by an
 * exception after a write; either would leave in memory what a database would have rolled back.
 */
public final class AllOrNothingCheck {

    /** Port methods that only read. */
    private static final Set<String> READS = Set.of("find", "findWithPlan", "findAccount", "findAccountAsKept", "findByHash", "list", "anyAdmin", "balance",
            "refunded", "usageByOperation", "page", "count", "all", "costsByProvider", "countsStartedIn",
            "runningStartedBefore", "totals", "values", "value", "reservation", "expired", "meters", "meter",
            "metersVersion", "meterGroups",
            // Holds the balance until the transaction ends and reads it (R38): it writes nothing.
            "holdBalance",
            // Ends only holds that readers no longer count (R71): no figure changes, so nothing to undo.
            "expire");

    private final ThreadLocal<List<String>> writes = new ThreadLocal<>();
    private final List<String> violations = new ArrayList<>();

    /** {@code storage} with every port watched, its transactions included. */
    public TallyStorage around(TallyStorage storage) {
        return new TallyStorage(transactions(storage.transactions()), watched(UsageLedger.class, storage.usage()),
                watched(IdempotencyStore.class, storage.idempotency()),
                watched(PlanRepository.class, storage.plans()),
                watched(UserRepository.class, storage.users()),
                watched(ModelPriceRepository.class, storage.modelPrices()),
                watched(ReportRunRepository.class, storage.runs()),
                watched(CreditTransactionRepository.class, storage.credits()),
                watched(ApiCallRepository.class, storage.apiCalls()),
                watched(ActivationCodeRepository.class, storage.activationCodes()),
                watched(SessionRepository.class, storage.sessions()), watched(ApiKeyRepository.class, storage.apiKeys()),
                watched(AllocationRepository.class, storage.allocations()),
                // Not watched: the first denial of a metric in a period is itself recorded (R75).
                storage.events(), storage.webhooks(), storage.audit(), watched(PlanTermsRepository.class, storage.planTerms()),
                // Not watched: a take the write does not keep is given back in the same transaction (R90).
                storage.rates());
    }

    /** Every broken transaction seen so far, described. */
    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    /** Fails naming the transactions that broke the convention, if any did. */
    public void assertNone() {
        List<String> found = violations();
        if (!found.isEmpty()) {
            throw new AssertionError("in-memory transactions that are not all-or-nothing: " + found);
        }
    }

    private Transactions transactions(Transactions inner) {
        return new Transactions() {
            @Override
            public <T> T inTransaction(Supplier<T> work) {
                if (writes.get() != null) {
                    return inner.inTransaction(work); // a nested transaction joins the outer one
                }
                List<String> written = new ArrayList<>();
                writes.set(written);
                try {
                    T result = inner.inTransaction(work);
                    if (result instanceof Outcome.Refused<?> refused && !written.isEmpty()) {
                        violation("refused with " + refused.refusal().code() + " after writing " + written);
                    }
                    return result;
                } catch (RuntimeException | Error e) {
                    if (!written.isEmpty()) {
                        violation("ended by " + e + " after writing " + written);
                    }
                    throw e;
                } finally {
                    writes.remove();
                }
            }

            @Override
            public void afterCommit(Runnable action) {
                inner.afterCommit(action);
            }
        };
    }

    private <P> P watched(Class<P> type, P port) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            Object result;
            try {
                result = method.invoke(port, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            List<String> written = writes.get();
            if (written != null && !READS.contains(method.getName())) {
                String call = type.getSimpleName() + "." + method.getName();
                if (!declined(result)) {
                    written.add(call);
                } else if (!written.isEmpty()) {
                    violation(call + " declined after writing " + written);
                }
            }
            return result;
        }));
    }

    /** Whether a write answered that it wrote nothing. */
    private static boolean declined(Object result) {
        return result instanceof AppendResult && !(result instanceof AppendResult.Appended)
                || result instanceof ReserveResult && !(result instanceof ReserveResult.Reserved)
                || result instanceof CreditAppend && !(result instanceof CreditAppend.Appended)
                || result instanceof AllocationRepository.Change && !(result instanceof AllocationRepository.Changed)
                || Boolean.FALSE.equals(result)
                || result instanceof Optional<?> optional && optional.isEmpty();
    }

    private synchronized void violation(String description) {
        violations.add(description);
    }
}
