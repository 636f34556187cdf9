package dev.tally.adapter.http;

import static dev.tally.adapter.http.RouteTable.Access.ADMIN;
import static dev.tally.adapter.http.RouteTable.Access.KEY;

import dev.tally.application.port.ExportPosition;
import dev.tally.application.export.ExportService;
import dev.tally.application.export.ExportUsage;
import dev.tally.application.port.VoidOutcome;
import dev.tally.application.usage.CorrectionService;
import dev.tally.application.usage.VoidRecord;
import dev.tally.domain.usage.RecordId;
import dev.tally.domain.user.UserId;
import io.javalin.http.Context;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * Corrections and exports of usage records: {@code POST /v1/users/{user_id}/usage/{record_id}/void}
 * (admin, R92) and {@code GET /v1/users/{user_id}/usage/export}, {@code GET /v1/usage/export}
 * (admin) streaming records and voids as NDJSON or CSV (R94).
 */
final class CorrectionRoutes {

    private final CorrectionService corrections;
    private final ExportService exports;

    CorrectionRoutes(CorrectionService corrections, ExportService exports) {
        this.corrections = corrections;
        this.exports = exports;
    }

    void register(RouteTable routes) {
        routes.post("/v1/users/{user_id}/usage/{record_id}/void", ADMIN, (ctx, caller) -> {
            UserId user = caller.user(ctx);
            RecordId record = RecordId.parse(ctx.pathParam("record_id"));
            VoidRequest request = RequestBody.read(ctx, VoidRequest.class);
            String reason = RequestFields.text(RequestFields.required(request.reason(), "reason"), "reason",
                    VoidRecord.MAX_REASON);
            VoidOutcome.Voided voided = corrections.voidRecord(new VoidRecord(user, record, reason));
            ctx.json(VoidResponse.from(user, voided));
            Audit.note(ctx, record + " voided: " + voided.quantity().toPlainString() + " " + voided.metric().value()
                    + " at " + voided.occurredAt() + "; reason: " + voided.reason());
        });
        routes.get("/v1/users/{user_id}/usage/export", KEY, (ctx, caller) ->
                export(ctx, Optional.of(caller.user(ctx))));
        routes.get("/v1/usage/export", ADMIN, (ctx, caller) -> export(ctx, Optional.empty()));
    }

    /** {@code reason} says why, for the audit log and the export. */
    record VoidRequest(String reason) {
    }

    /** A void (R92), named {@code void_…}, of the record {@code record_id}. */
    record VoidResponse(String id, String recordId, String userId, String metric, BigDecimal quantity,
                        String occurredAt, String periodStart, String reason, String voidedAt) {
        static VoidResponse from(UserId user, VoidOutcome.Voided voided) {
            RecordId record = RecordId.of(voided.key());
            return new VoidResponse(record.voidId().toString(), record.toString(), user.value(),
                    voided.metric().value(), voided.quantity(), voided.occurredAt().toString(),
                    voided.period().start().toString(), voided.reason(), voided.voidedAt().toString());
        }
    }

    /**
     * Checks the whole request (range, cursor) before the first byte, then streams: a failure after
     * that can only end the answer early, and the client resumes from the last line's cursor.
     */
    private void export(Context ctx, Optional<UserId> user) throws IOException {
        Instant from = RequestFields.instant(required(ctx, "from"), "from");
        Instant to = RequestFields.instant(required(ctx, "to"), "to");
        Optional<ExportPosition> after = Listing.cursor(ctx).map(ExportWriter::position);
        ExportUsage query = new ExportUsage(user, from, to, after);
        boolean csv = Optional.ofNullable(ctx.header("Accept")).filter(accept -> accept.contains("text/csv"))
                .isPresent();
        ctx.status(200);
        ctx.res().setContentType(csv ? "text/csv; charset=utf-8" : "application/x-ndjson");
        Writer out = new BufferedWriter(new OutputStreamWriter(ctx.res().getOutputStream(), StandardCharsets.UTF_8),
                ExportWriter.BUFFER_CHARS);
        try {
            new ExportWriter(exports, csv).write(query, out);
        } catch (UncheckedIOException gone) {
            // The client went away; it resumes from the cursor of the last line it read.
        }
    }

    private static String required(Context ctx, String name) {
        return Optional.ofNullable(ctx.queryParam(name)).orElseThrow(() -> ApiException.badField("missing_field",
                name, "Query parameter '" + name + "' is required: an instant such as 2026-11-01T00:00:00Z."));
    }
}
