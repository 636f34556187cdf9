package dev.tally.application.credit;

import dev.tally.domain.credit.CreditTransaction;
import java.util.List;

/** One page of a user's ledger, newest first, and how many entries there are in all. */
public record CreditPage(List<CreditTransaction> transactions, int limit, int offset, long total) {

    public CreditPage {
        transactions = List.copyOf(transactions);
    }
}
