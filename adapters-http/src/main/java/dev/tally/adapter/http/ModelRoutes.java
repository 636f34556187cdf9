package dev.tally.adapter.http;

import static dev.tally.adapter.http.RouteTable.Access.ADMIN;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.tally.application.run.ModelPriceService;
import dev.tally.domain.run.ModelPrice;
import java.math.BigDecimal;

/**
 * The per-model price table (R27, R41), the operator's terms: {@code PUT /v1/models/{model}} and
 * {@code GET /v1/models}, both admin only (R62).
 */
final class ModelRoutes {

    /** As long as a provider stored with an API call may be. */
    private static final int MAX_PROVIDER = 100;

    private final ModelPriceService prices;

    ModelRoutes(ModelPriceService prices) {
        this.prices = prices;
    }

    void register(RouteTable routes) {
        routes.put("/v1/models/{model}", ADMIN, (ctx, caller) -> {
            ModelRequest request = RequestBody.read(ctx, ModelRequest.class);
            ctx.json(ModelResponse.from(prices.put(request.toPrice(ctx.pathParam("model")))));
        });
        routes.get("/v1/models", ADMIN, (ctx, caller) ->
                Listing.slice(ctx, prices.list().stream().map(ModelResponse::from).toList(), "models"));
    }

    /** USD per 1 000 input and output tokens, and the provider that serves the model. */
    record ModelRequest(@JsonProperty("input_per_1k") BigDecimal inputPer1k,
                        @JsonProperty("output_per_1k") BigDecimal outputPer1k, String provider)
            implements RequestBody.FieldChecks {

        private static final ModelRequest VALID = new ModelRequest(BigDecimal.ZERO, BigDecimal.ZERO, null);

        @Override
        public void checkField(String field) {
            RequestBody.only(this, field, VALID).toPrice("checked");
        }

        ModelPrice toPrice(String model) {
            return new ModelPrice(model,
                    RequestFields.number(RequestFields.required(inputPer1k, "input_per_1k"), "input_per_1k"),
                    RequestFields.number(RequestFields.required(outputPer1k, "output_per_1k"), "output_per_1k"),
                    RequestFields.text(provider, "provider", MAX_PROVIDER));
        }
    }

    record ModelResponse(String model, @JsonProperty("input_per_1k") @JsonSerialize(using = UsdAmount.class)
                         BigDecimal inputPer1k,
                         @JsonProperty("output_per_1k") @JsonSerialize(using = UsdAmount.class) BigDecimal outputPer1k,
                         String provider) {
        static ModelResponse from(ModelPrice price) {
            return new ModelResponse(price.model(), price.inputPer1k(), price.outputPer1k(), price.provider());
        }
    }

}
