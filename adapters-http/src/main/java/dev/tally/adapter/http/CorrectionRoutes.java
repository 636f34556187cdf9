package dev.tally.adapter.http;

import static dev.tally.adapter.http.RouteTable.Access.ADMIN;
import static dev.tally.adapter.http.RouteTable.Access.KEY;

import dev.tally.application.export.ExportPosition;
import dev.tally.application.export.ExportRow;
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
        Optional<ExportPosition> after = Listing.cursor(ctx).map(ExportCursor::read);
        ExportUsage query = new ExportUsage(user, from, to, after);
        boolean csv = Optional.ofNullable(ctx.header("Accept")).filter(accept -> accept.contains("text/csv"))
                .isPresent();
        ctx.status(200);
        ctx.res().setContentType(csv ? "text/csv; charset=utf-8" : "application/x-ndjson");
        ExportFormat format = csv ? ExportFormat.CSV : ExportFormat.NDJSON;
        Writer out = new BufferedWriter(new OutputStreamWriter(ctx.res().getOutputStream(), StandardCharsets.UTF_8),
                64 * 1024);
        try {
            format.header(out);
            exports.export(query, row -> {
                try {
                    format.write(out, row);
                } catch (IOException gone) {
                    throw new UncheckedIOException(gone);
                }
            });
            out.flush();
        } catch (UncheckedIOException gone) {
            // The client went away; it resumes from the cursor of the last line it read.
        }
    }

    private static String required(Context ctx, String name) {
        return Optional.ofNullable(ctx.queryParam(name)).orElseThrow(() -> ApiException.badField("missing_field",
                name, "Query parameter '" + name + "' is required: an instant such as 2026-11-01T00:00:00Z."));
    }

    /** The two ways an export is written: a line per record and a line per void. */
    enum ExportFormat {
        NDJSON {
            @Override
            void header(Writer out) {
            }

            @Override
            void write(Writer out, ExportRow row) throws IOException {
                String cursor = ExportCursor.of(row.position());
                out.write("{\"kind\":\"record\",\"id\":" + quoted(row.recordId().toString()) + ",\"user_id\":"
                        + quoted(row.user().value()) + ",\"metric\":" + quoted(row.metric().value())
                        + ",\"quantity\":" + row.quantity().stripTrailingZeros().toPlainString()
                        + ",\"occurred_at\":" + quoted(row.occurredAt().toString()) + ",\"idempotency_key\":"
                        + quoted(row.key().value()) + ",\"dimensions\":" + row.dimensions() + ",\"cursor\":"
                        + quoted(cursor) + "}\n");
                if (row.voided().isPresent()) {
                    ExportRow.Voided voided = row.voided().get();
                    out.write("{\"kind\":\"void\",\"id\":" + quoted(row.recordId().voidId().toString())
                            + ",\"user_id\":" + quoted(row.user().value()) + ",\"record_id\":"
                            + quoted(row.recordId().toString()) + ",\"metric\":" + quoted(row.metric().value())
                            + ",\"quantity\":" + row.quantity().stripTrailingZeros().toPlainString()
                            + ",\"occurred_at\":" + quoted(row.occurredAt().toString()) + ",\"reason\":"
                            + quoted(voided.reason()) + ",\"voided_at\":" + quoted(voided.voidedAt().toString())
                            + ",\"cursor\":" + quoted(cursor) + "}\n");
                }
            }
        },
        CSV {
            @Override
            void header(Writer out) throws IOException {
                out.write("kind,id,user_id,record_id,metric,quantity,occurred_at,idempotency_key,dimensions,reason,"
                        + "voided_at,cursor\r\n");
            }

            @Override
            void write(Writer out, ExportRow row) throws IOException {
                String cursor = ExportCursor.of(row.position());
                String quantity = row.quantity().stripTrailingZeros().toPlainString();
                out.write(String.join(",", "record", row.recordId().toString(), cell(row.user().value()), "",
                        row.metric().value(), quantity, row.occurredAt().toString(), cell(row.key().value()),
                        cell(row.dimensions()), "", "", cursor) + "\r\n");
                if (row.voided().isPresent()) {
                    ExportRow.Voided voided = row.voided().get();
                    out.write(String.join(",", "void", row.recordId().voidId().toString(), cell(row.user().value()),
                            row.recordId().toString(), row.metric().value(), quantity, row.occurredAt().toString(),
                            "", "", cell(voided.reason()), voided.voidedAt().toString(), cursor) + "\r\n");
                }
            }
        };

        abstract void header(Writer out) throws IOException;

        abstract void write(Writer out, ExportRow row) throws IOException;

        private static String quoted(String text) {
            try {
                return Json.mapper().writeValueAsString(text);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("a string always serialises", e);
            }
        }

        /** A CSV cell (RFC 4180): quoted, quotes doubled, when it holds a comma, quote or line break. */
        private static String cell(String text) {
            boolean plain = text.chars().noneMatch(c -> c == ',' || c == '"' || c == '\r' || c == '\n');
            return plain ? text : "\"" + text.replace("\"", "\"\"") + "\"";
        }
    }

    /** An export's place as a client holds it: opaque, base64url of {@code e<nanos>.<seq>}. */
    static final class ExportCursor {

        private static final java.util.regex.Pattern FORM =
                java.util.regex.Pattern.compile("e(-?[0-9]{1,19})\\.(-?[0-9]{1,19})");

        private ExportCursor() {
        }

        static String of(ExportPosition position) {
            Instant at = position.occurredAt();
            long nanos = Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000_000L), at.getNano());
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                    ("e" + nanos + "." + position.seq()).getBytes(StandardCharsets.US_ASCII));
        }

        static ExportPosition read(String cursor) {
            try {
                java.util.regex.Matcher matcher = FORM.matcher(new String(java.util.Base64.getUrlDecoder()
                        .decode(cursor), StandardCharsets.US_ASCII));
                if (matcher.matches()) {
                    long nanos = Long.parseLong(matcher.group(1));
                    return new ExportPosition(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
                            Math.floorMod(nanos, 1_000_000_000L)), Long.parseLong(matcher.group(2)));
                }
            } catch (IllegalArgumentException malformed) {
                // not base64, or a number out of range: refused below
            }
            throw ApiException.badField("invalid_cursor", "cursor",
                    "Query parameter 'cursor' is not one this server gave.");
        }
    }
}
