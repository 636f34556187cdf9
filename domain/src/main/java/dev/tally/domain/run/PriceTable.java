package dev.tally.domain.run;

import dev.tally.domain.Money;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Model prices by model name (R27). */
public record PriceTable(Map<String, ModelPrice> byModel) {

    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    public PriceTable {
        byModel = Map.copyOf(byModel);
    }

    public static PriceTable of(Collection<ModelPrice> prices) {
        return new PriceTable(prices.stream().collect(Collectors.toMap(ModelPrice::model, Function.identity())));
    }

    public Optional<ModelPrice> find(String model) {
        return Optional.ofNullable(model).map(byModel::get);
    }

    /**
     * The cost of a run (R27): {@code input/1000 × input price + output/1000 × output price},
     * 6 decimals half-up. A cost given by the caller wins; an unknown model without one costs 0
     * and is flagged as unpriced.
     */
    public RunCost costOf(String model, long tokensInput, long tokensOutput, Optional<BigDecimal> givenCostUsd) {
        if (givenCostUsd.isPresent()) {
            return new RunCost(Money.usd(givenCostUsd.get()), RunCost.Source.GIVEN);
        }
        return find(model)
                .map(price -> new RunCost(Money.usd(
                        BigDecimal.valueOf(tokensInput).multiply(price.inputPer1k()).divide(THOUSAND)
                                .add(BigDecimal.valueOf(tokensOutput).multiply(price.outputPer1k()).divide(THOUSAND))),
                        RunCost.Source.PRICE_TABLE))
                .orElseGet(() -> new RunCost(Money.zero(), RunCost.Source.UNPRICED));
    }
}
