package dev.tally.adapter.http;

import static dev.tally.adapter.http.RouteTable.Access.ADMIN;
import static dev.tally.adapter.http.RouteTable.Access.KEY;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tally.application.meter.MeterService;
import dev.tally.application.port.MeterStore;
import dev.tally.domain.meter.Aggregation;
import dev.tally.domain.meter.Meter;
import dev.tally.domain.plan.MetricKey;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Meters (R81, R83): {@code PUT /v1/meters/{key}} (admin) defines one, {@code GET /v1/meters}
 * and {@code GET /v1/meters/{key}} read them (any key), and {@code GET /v1/users/{user_id}/meters/{key}}
 * answers a meter's value in the user's period, per group with {@code ?group_by=}.
 */
final class MeterRoutes {

    private final MeterService meters;

    MeterRoutes(MeterService meters) {
        this.meters = meters;
    }

    void register(RouteTable routes) {
        routes.put("/v1/meters/{key}", ADMIN, (ctx, caller) -> {
            MetricKey key = new MetricKey(ctx.pathParam("key"));
            MeterRequest request = RequestBody.read(ctx, MeterRequest.class);
            ctx.json(MeterResponse.from(meters.put(request.toMeter(key))));
        });
        // Definitions are read with any key, so that a customer's page can show its meters' groups.
        routes.get("/v1/meters", KEY, (ctx, caller) ->
                Listing.slice(ctx, meters.list().stream().map(MeterResponse::from).toList(), "meters"));
        routes.get("/v1/meters/{key}", KEY, (ctx, caller) ->
                ctx.json(MeterResponse.from(meters.get(new MetricKey(ctx.pathParam("key"))))));
        routes.get("/v1/users/{user_id}/meters/{key}", KEY, (ctx, caller) -> {
            MetricKey key = new MetricKey(ctx.pathParam("key"));
            Optional<List<String>> groupBy = Optional.ofNullable(ctx.queryParam("group_by"))
                    .map(text -> Arrays.stream(text.split(",")).map(String::trim).toList());
            MeterService.MeterValue value = meters.value(caller.user(ctx), key, groupBy.isPresent(),
                    RequestFields.at(ctx));
            groupBy.ifPresent(dimensions -> {
                List<String> kept = value.meter().groupBy();
                if (kept.isEmpty()) {
                    throw ApiException.badField("invalid_group_by", "group_by", "Meter " + key
                            + " is not grouped; ask without ?group_by.");
                }
                if (!dimensions.equals(kept)) {
                    throw ApiException.badField("invalid_group_by", "group_by", "Meter " + key + " is grouped by "
                            + String.join(",", kept) + "; ask for ?group_by=" + String.join(",", kept) + ".");
                }
            });
            ctx.json(ValueResponse.from(value));
        });
    }

    /** A meter as the operator defines it. */
    record MeterRequest(String source, String aggregation, @JsonProperty("unique_dimension") String uniqueDimension,
                        Map<String, List<String>> filter, @JsonProperty("group_by") List<String> groupBy,
                        String name) implements RequestBody.FieldChecks {

        private static final MetricKey CHECKED = new MetricKey("checked_meter");
        private static final MeterRequest VALID = new MeterRequest("checked_source", "sum", null, null, null, null);

        @Override
        public void checkField(String field) {
            switch (field) {
                case "source" -> new MetricKey(RequestFields.required(source, "source"));
                case "aggregation" -> Aggregation.parse(RequestFields.required(aggregation, "aggregation"));
                // Checked with the aggregation it belongs to, once every field is read.
                case "unique_dimension" -> RequestFields.text(uniqueDimension, "unique_dimension",
                        Meter.MAX_DIMENSION_NAME);
                default -> RequestBody.only(this, field, VALID).toMeter(CHECKED);
            }
        }

        Meter toMeter(MetricKey key) {
            MetricKey from = new MetricKey(RequestFields.required(source, "source"));
            Aggregation how = Aggregation.parse(RequestFields.required(aggregation, "aggregation"));
            if (filter != null && filter.values().stream().anyMatch(values -> values == null
                    || values.contains(null))) {
                throw ApiException.badField("invalid_filter", "filter",
                        "Every dimension of 'filter' needs a list of string values.");
            }
            if (groupBy != null && groupBy.contains(null)) {
                throw ApiException.badField("invalid_group_by", "group_by", "Field 'group_by' is a list of strings.");
            }
            return Meter.define(key, from, how, Optional.ofNullable(uniqueDimension),
                    filter == null ? Map.of() : filter, groupBy == null ? List.of() : groupBy,
                    Optional.ofNullable(RequestFields.text(name, "name", Meter.MAX_NAME)));
        }
    }

    record MeterResponse(String key, String source, String aggregation,
                         @JsonProperty("unique_dimension") String uniqueDimension, Map<String, List<String>> filter,
                         @JsonProperty("group_by") List<String> groupBy, String name) {
        static MeterResponse from(Meter meter) {
            return new MeterResponse(meter.key().value(), meter.source().value(), meter.aggregation().wire(),
                    meter.uniqueDimension().orElse(null), meter.filter(), meter.groupBy(), meter.name().orElse(null));
        }
    }

    record GroupResponse(Map<String, String> group, boolean other, BigDecimal value) {
        static GroupResponse from(MeterStore.MeterGroup group) {
            return new GroupResponse(group.group(), group.other(), group.value().stripTrailingZeros());
        }
    }

    record ValueResponse(String meter, String aggregation, Responses.Period period, BigDecimal value,
                         List<GroupResponse> groups) {
        static ValueResponse from(MeterService.MeterValue value) {
            return new ValueResponse(value.meter().key().value(), value.meter().aggregation().wire(),
                    Responses.Period.from(value.period()),
                    value.value().stripTrailingZeros(), value.groups().stream().map(GroupResponse::from).toList());
        }
    }
}
