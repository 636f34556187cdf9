package dev.tally.domain.run;

import dev.tally.domain.DomainException;
import dev.tally.domain.Money;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The price of a model per 1 000 input and output tokens in USD, and the provider that serves
 * it (R27, R41).
 */
public record ModelPrice(String model, BigDecimal inputPer1k, BigDecimal outputPer1k, String provider) {

    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:/@+-]{0,127}");

    /** The price the table ships with (R27). */
    public static final ModelPrice GPT_4O_MINI =
            new ModelPrice("gpt-4o-mini", new BigDecimal("0.00015"), new BigDecimal("0.0006"), "openai");

    public ModelPrice {
        if (model == null || !MODEL.matcher(model).matches()) {
            throw DomainException.invalid("invalid_model", "model must be 1-128 characters of [A-Za-z0-9_.:/@+-]");
        }
        Objects.requireNonNull(inputPer1k, "inputPer1k");
        Objects.requireNonNull(outputPer1k, "outputPer1k");
        inputPer1k = Money.quantity(inputPer1k, "input_per_1k");
        outputPer1k = Money.quantity(outputPer1k, "output_per_1k");
        if (inputPer1k.signum() < 0 || outputPer1k.signum() < 0) {
            throw DomainException.invalid("invalid_price", "prices cannot be negative");
        }
        provider = provider == null || provider.isBlank() ? "unknown" : provider;
    }
}
