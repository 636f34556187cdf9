package dev.tally.domain.credit;

import dev.tally.domain.DomainException;
import java.util.Objects;

/**
 * Credits spent on one operation in one period (R33): {@code gross} spent, {@code refunded} back
 * (attributed to the period of the usage they refund), and {@code net = gross - refunded}, never
 * negative.
 */
public record OperationUsage(String operation, long gross, long refunded, long net) {

    public OperationUsage {
        Objects.requireNonNull(operation, "operation");
        if (gross < 0 || refunded < 0 || refunded > gross || net != gross - refunded) {
            throw DomainException.invalid("invalid_operation_usage",
                    "refunds of an operation never exceed what it spent: " + operation + " " + gross + "/" + refunded);
        }
    }

    public static OperationUsage of(String operation, long gross, long refunded) {
        return new OperationUsage(operation, gross, refunded, gross - refunded);
    }
}
