package dev.tally.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.domain.DomainException;
import dev.tally.domain.plan.CreditPrices;
import dev.tally.domain.plan.MetricKey;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A plan's {@code credit_prices} over HTTP (R38): metric to whole credits per unit, 1 to
 * {@link CreditPrices#MAX_PRICE}, so that the largest quantity a record may carry costs a number of
 * credits that fits; anything else is {@code 400 invalid_credit_price} naming its field.
 */
final class PlanCreditPrices {

    private PlanCreditPrices() {
    }

    /** The prices as sent; {@code null} is none. */
    static CreditPrices parse(Map<String, JsonNode> sent) {
        Map<MetricKey, Long> prices = new LinkedHashMap<>();
        if (sent != null) {
            if (sent.size() > CreditPrices.MAX_PRICES) {
                throw ApiException.badField("invalid_credit_price", "credit_prices",
                        "Field 'credit_prices' names at most " + CreditPrices.MAX_PRICES + " metrics.");
            }
            sent.forEach((name, value) -> {
                MetricKey metric = new MetricKey(name);
                prices.put(metric, price("credit_prices." + name, value));
            });
        }
        try {
            return new CreditPrices(prices);
        } catch (DomainException e) {
            throw ApiException.badField("invalid_credit_price", "credit_prices", e.getMessage());
        }
    }

    private static long price(String field, JsonNode value) {
        return BoundedInput.whole(value, field, 1, CreditPrices.MAX_PRICE, "a whole number of credits",
                " (a larger price overflows with the largest quantity)", "invalid_credit_price");
    }

    /** The plan's prices as shown, in their order. */
    static Map<String, Long> shown(CreditPrices prices) {
        Map<String, Long> shown = new LinkedHashMap<>();
        prices.byMetric().forEach((metric, price) -> shown.put(metric.value(), price));
        return shown;
    }
}
