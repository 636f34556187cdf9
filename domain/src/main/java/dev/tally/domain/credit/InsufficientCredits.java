package dev.tally.domain.credit;

import dev.tally.domain.Refusal;

/** A spend that would make the balance negative (R31); over HTTP {@code 402 insufficient_credits}. */
public record InsufficientCredits(long balance, long requested) implements Refusal {

    @Override
    public String code() {
        return "insufficient_credits";
    }

    @Override
    public String message() {
        return "The balance is " + balance + " credits; " + requested + " were requested.";
    }
}
