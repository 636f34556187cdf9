package dev.tally.application.port;

import dev.tally.domain.credit.CreditTransaction;

/** What {@link CreditTransactionRepository#append} did. */
public sealed interface CreditAppend {

    /** The entry is stored and the balance moved. */
    record Appended(CreditTransaction transaction) implements CreditAppend {
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
