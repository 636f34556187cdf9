package dev.tally.adapter.http;

import static dev.tally.adapter.http.RouteTable.Access.KEY;

import dev.tally.application.usage.RecordUsage;
import dev.tally.application.usage.UsageItem;
import dev.tally.application.usage.UsageRecorded;
import dev.tally.application.usage.UsageReport;
import dev.tally.application.usage.UsageService;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.RecordId;
import dev.tally.domain.usage.Granularity;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.usage.UsageSeries;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Usage: {@code POST /v1/users/{user_id}/usage} records a batch, each record with its own
 * idempotency key (R20); with {@code "enforce": true} the batch is one atomic check-and-record
 * (R13). {@code GET} reports the period's usage per metric (R15), and {@code GET …/usage/series} one
 * metric's usage over the period (R52).
 */
final class UsageRoutes {

    private final UsageService usage;
    private final HttpMetrics metrics;

    UsageRoutes(UsageService usage, HttpMetrics metrics) {
        this.usage = usage;
        this.metrics = metrics;
    }

    void register(RouteTable routes) {
        routes.postRecords("/v1/users/{user_id}/usage", (ctx, caller) -> {
            BatchRequest batch = RequestBody.read(ctx, BatchRequest.class);
            List<RecordRequest> records = RequestFields.required(batch.records(), "records");
            List<UsageItem> items = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                items.add(item(records.get(i), "records[" + i + "]"));
            }
            boolean enforce = Boolean.TRUE.equals(batch.enforce());
            RecordUsage command = new RecordUsage(caller.user(ctx), items, enforce);
            // Each record counts against the key's record rate (R67), before anything is recorded.
            caller.spendRecords(ctx, command.items().size());
            UsageRecorded recorded = RefusalException.valueOf(usage.record(command));
            if (enforce) {
                Set<MetricKey> granted = new LinkedHashSet<>();
                items.forEach(item -> granted.add(item.metric()));
                granted.forEach(metric -> metrics.granted(metric.value()));
                MetricRateHeaders.tightest(ctx, recorded.rates());
            }
            List<RecordId> ids = items.stream().map(item -> new RecordId(
                    dev.tally.domain.usage.RecordId.of(item.idempotencyKey()).toString(), item.idempotencyKey().value())).toList();
            ctx.json(new RecordedResponse(recorded.accepted(), recorded.duplicates(), ids));
        });
        routes.get("/v1/users/{user_id}/usage", KEY, (ctx, caller) ->
                ctx.json(UsageResponse.from(usage.usage(caller.user(ctx), RequestFields.at(ctx)))));
        routes.get("/v1/users/{user_id}/usage/series", KEY, (ctx, caller) -> {
            MetricKey metric = new MetricKey(Optional.ofNullable(ctx.queryParam("metric")).orElseThrow(() ->
                    ApiException.badField("missing_field", "metric",
                            "Query parameter 'metric' is required, e.g. ?metric=runs.")));
            Granularity granularity = Granularity.fromWireName(
                    Optional.ofNullable(ctx.queryParam("granularity")).orElse("day"));
            ctx.json(SeriesResponse.from(usage.series(caller.user(ctx), metric, granularity, RequestFields.at(ctx))));
        });
    }

    private static void requireUnits(MetricKey metric, BigDecimal quantity, String field) {
        if (!metric.inUnits(quantity)) {
            throw ApiException.badField("invalid_quantity", field,
                    "Field '" + field + "' counts whole things and cannot be a fraction.");
        }
    }

    private static UsageItem item(RecordRequest record, String path) {
        return item(record, path, Optional.empty());
    }

    /**
     * One record of a usage batch, checked field by field; without {@code idempotency_key} it takes
     * {@code defaultKey} (a message on a log has one of its own, R95), or is refused without one.
     */
    static UsageItem item(RecordRequest record, String path, Optional<String> defaultKey) {
        if (record == null) {
            throw ApiException.badField("invalid_field_type", path, "Field '" + path + "' must be an object.");
        }
        MetricKey metric = new MetricKey(RequestFields.required(record.metric(), field(path, "metric")));
        BigDecimal quantity = RequestFields.number(RequestFields.required(record.quantity(), field(path, "quantity")),
                field(path, "quantity"));
        // The domain's rule, asked here so that the error can name the field.
        requireUnits(metric, quantity, field(path, "quantity"));
        String keyField = field(path, "idempotency_key");
        IdempotencyKey key = new IdempotencyKey(record.idempotencyKey() != null ? record.idempotencyKey()
                : defaultKey.orElseGet(() -> RequestFields.required(record.idempotencyKey(), keyField)));
        return new UsageItem(metric, quantity,
                Optional.ofNullable(record.occurredAt())
                        .map(text -> RequestFields.instant(text, field(path, "occurred_at"))),
                key, RequestFields.dimensions(record.dimensions(), field(path, "dimensions")));
    }

    private static String field(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** {@code {"records": [...], "enforce": false}}. */
    record BatchRequest(List<RecordRequest> records, Boolean enforce) {
    }

    /** One usage record; {@code occurred_at} defaults to now. */
    record RecordRequest(String metric, BigDecimal quantity, String occurredAt, String idempotencyKey,
                         Map<String, String> dimensions) {
    }

    /** What a batch did, and the id of each of its records, in request order. */
    record RecordedResponse(int accepted, int duplicates, List<RecordId> records) {
    }

    /** A record's id, beside the key it was sent with. */
    record RecordId(String id, @com.fasterxml.jackson.annotation.JsonProperty("idempotency_key") String key) {
    }

    /** A metric's usage per day or hour of the period, with the running total (R52). */
    record SeriesResponse(String metric, Responses.Period period, String granularity, String timeZone,
                          List<Point> points) {
        static SeriesResponse from(UsageSeries series) {
            return new SeriesResponse(series.metric().value(), Responses.Period.from(series.period()),
                    series.granularity().wireName(), zoneName(series.zone()),
                    series.points().stream().map(p -> new Point(p.start(), p.quantity(), p.cumulative())).toList());
        }
    }

    /** An IANA name a browser's {@code Intl} understands: the UTC offset's id is {@code Z}, not a zone name. */
    static String zoneName(ZoneId zone) {
        return zone.equals(ZoneOffset.UTC) ? "UTC" : zone.getId();
    }

    /** One bucket: where it starts, its quantity and the running total at its end. */
    record Point(Instant start, BigDecimal quantity, BigDecimal cumulative) {
    }

    /** The period's usage: every metric of the plan plus every metric used in the period. */
    record UsageResponse(String userId, String planId, Responses.Period period, List<Responses.Metric> metrics) {
        static UsageResponse from(UsageReport report) {
            return new UsageResponse(report.user().value(), report.plan().value(),
                    Responses.Period.from(report.period()), Responses.Metric.all(report.metrics()));
        }
    }
}
