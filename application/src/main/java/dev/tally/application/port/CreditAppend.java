package dev.tally.application.port;

import dev.tally.domain.credit.CreditTransaction;
import java.util.List;

/** What {@link CreditTransactionRepository#append} did. */
public sealed interface CreditAppend {

    /**
     * The entry is stored and the balance moved.
     *
     * @param expired the {@code expiry} entries written first, for grants that had lapsed by the
     *                entry's instant (R36)
     */
    record Appended(CreditTransaction transaction, List<CreditTransaction> expired) implements CreditAppend {

        public Appended {
            expired = List.copyOf(expired);
        }

        /** An entry written with no grant lapsing before it. */
        public Appended(CreditTransaction transaction) {
            this(transaction, List.of());
        }
    }

    /** A plan's credits of that period were already granted to the user (R37); nothing was written. */
    record AlreadyGranted() implements CreditAppend {
    }

    /** The entry would have taken the balance below zero; nothing was written (R31). */
    record Insufficient(long balance) implements CreditAppend {
    }

    /**
     * The entry would have taken the balance beyond {@link dev.tally.domain.credit.CreditLedger#MAX_BALANCE}
     * either way; nothing was written.
     */
    record OutOfRange(long balance) implements CreditAppend {
    }
}
