package dev.tally.adapter.http;

import dev.tally.application.run.CompleteRun;
import dev.tally.application.run.RecordDelivery;
import dev.tally.application.run.ReportRunService;
import dev.tally.application.run.RunPage;
import dev.tally.application.run.StartRun;
import dev.tally.application.usecase.Paging;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.run.ReportRun;
import dev.tally.domain.run.RunCompletion;
import dev.tally.domain.run.RunStatus;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.OptionalInt;
import static dev.tally.adapter.http.RouteTable.Access.KEY;

/**
 * Report runs (R25–R29): start (reserves one run), complete, webhook deliveries, the list, one
 * run, and the period's run statistics.
 */
final class ReportRunRoutes {

    /** What a run stores of the caller's repository and configuration ids, and of a model name. */
    private static final int MAX_ID = 255;
    private static final int MAX_MODEL = 128;

    private final ReportRunService runs;
    private final HttpMetrics metrics;

    ReportRunRoutes(ReportRunService runs, HttpMetrics metrics) {
        this.runs = runs;
        this.metrics = metrics;
    }

    void register(RouteTable routes) {
        String base = "/v1/users/{user_id}/report-runs";
        routes.post(base, KEY, (ctx, caller) -> {
            StartRequest request = RequestBody.readOptional(ctx, StartRequest.class).orElse(StartRequest.EMPTY);
            ReportRun run = RefusalException.valueOf(runs.start(new StartRun(caller.user(ctx),
                    Optional.ofNullable(RequestFields.text(request.repositoryId(), "repository_id", MAX_ID)),
                    Optional.ofNullable(RequestFields.text(request.configurationId(), "configuration_id", MAX_ID)),
                    RequestFields.idempotencyKey(ctx))));
            metrics.granted(MetricKey.RUNS.value());
            ctx.status(201).json(Responses.Run.from(run));
        });
        routes.post(base + "/{run_id}/complete", KEY, (ctx, caller) -> {
            CompleteRequest request = RequestBody.read(ctx, CompleteRequest.class);
            ctx.json(Responses.Run.from(runs.complete(new CompleteRun(caller.user(ctx), Ids.stored(Ids.RUN, ctx.pathParam("run_id")),
                    request.toCompletion(), RequestFields.idempotencyKey(ctx)))));
        });
        routes.post(base + "/{run_id}/webhook-deliveries", KEY, (ctx, caller) -> {
            DeliveryRequest request = RequestBody.read(ctx, DeliveryRequest.class);
            boolean delivered = RequestFields.required(request.delivered(), "delivered");
            OptionalInt status = request.responseStatus() == null ? OptionalInt.empty()
                    : OptionalInt.of(request.responseStatus());
            ctx.json(Responses.Run.from(runs.recordDelivery(new RecordDelivery(caller.user(ctx),
                    Ids.stored(Ids.RUN, ctx.pathParam("run_id")), delivered, status, RequestFields.idempotencyKey(ctx)))));
        });
        routes.get(base, KEY, (ctx, caller) -> {
            Paging window = Listing.window(ctx, Paging.DEFAULT_LIMIT);
            RunPage page = runs.list(caller.user(ctx), window);
            Listing.counted(ctx, page.runs().stream().map(Responses.Run::from).toList(), window, page.total(), "runs");
        });
        // Registered before {run_id}, which would otherwise match "usage".
        routes.get(base + "/usage", KEY, (ctx, caller) ->
                ctx.json(Responses.RunUsage.from(runs.usage(caller.user(ctx), RequestFields.at(ctx)))));
        routes.get(base + "/{run_id}", KEY, (ctx, caller) ->
                ctx.json(Responses.Run.from(runs.get(caller.user(ctx), Ids.stored(Ids.RUN, ctx.pathParam("run_id"))))));
    }

    /** Both fields are optional, and so is the body. */
    record StartRequest(String repositoryId, String configurationId) implements RequestBody.FieldChecks {
        static final StartRequest EMPTY = new StartRequest(null, null);

        @Override
        public void checkField(String field) {
            switch (field) {
                case "repository_id" -> RequestFields.text(repositoryId, field, MAX_ID);
                case "configuration_id" -> RequestFields.text(configurationId, field, MAX_ID);
                default -> { }
            }
        }
    }

    /** How a run ended; token and commit counts default to 0, a given {@code cost_usd} wins over the price table. */
    record CompleteRequest(String status, Long tokensInput, Long tokensOutput, String model, Long commitsProcessed,
                           BigDecimal costUsd, String errorCode, String errorMessage)
            implements RequestBody.FieldChecks {

        private static final CompleteRequest VALID = new CompleteRequest("succeeded", null, null, null, null, null,
                null, null);

        @Override
        public void checkField(String field) {
            RequestBody.only(this, field, VALID).toCompletion();
        }

        RunCompletion toCompletion() {
            RunStatus ended = RunStatus.fromWireName(RequestFields.required(status, "status"));
            return new RunCompletion(ended, BoundedInput.count(tokensInput, "tokens_input"),
                    BoundedInput.count(tokensOutput, "tokens_output"),
                    Optional.ofNullable(RequestFields.text(model, "model", MAX_MODEL)),
                    BoundedInput.count(commitsProcessed, "commits_processed"),
                    Optional.ofNullable(RequestFields.number(costUsd, "cost_usd")),
                    Optional.ofNullable(errorCode), Optional.ofNullable(errorMessage));
        }
    }

    /** One attempt to deliver the run's result to the caller's webhook (R29). */
    record DeliveryRequest(Boolean delivered, Integer responseStatus) {
    }
}
