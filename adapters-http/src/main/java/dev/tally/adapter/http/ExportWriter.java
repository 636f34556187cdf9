package dev.tally.adapter.http;

import dev.tally.application.port.ExportPosition;
import dev.tally.application.port.ExportRow;
import dev.tally.application.export.ExportService;
import dev.tally.application.export.ExportUsage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes an export of usage records and their voids (R94) as NDJSON (a JSON object per line) or
 * CSV (RFC 4180, a header line first): a line per record, oldest first, each followed by a line
 * for its void if it has one. Every line carries the cursor to resume after it. Used by the HTTP
 * API and by {@code tally export}.
 */
public final class ExportWriter {

    /** The characters buffered before a write reaches the client. */
    public static final int BUFFER_CHARS = 64 * 1024;

    private static final Pattern CURSOR = Pattern.compile("e(-?[0-9]{1,19})\\.(-?[0-9]{1,19})");
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final ExportService exports;
    private final Format format;

    /** An export writer of {@code exports}, as CSV or else NDJSON. */
    public ExportWriter(ExportService exports, boolean csv) {
        this.exports = exports;
        this.format = csv ? Format.CSV : Format.NDJSON;
    }

    /**
     * Writes every record of {@code query} to {@code out} and flushes it; answers how many
     * records. A failure to write is an {@link UncheckedIOException} and stops the export.
     */
    public long write(ExportUsage query, Writer out) {
        try {
            format.header(out);
            long count = exports.export(query, row -> {
                try {
                    format.write(out, row);
                } catch (IOException gone) {
                    throw new UncheckedIOException(gone);
                }
            });
            out.flush();
            return count;
        } catch (IOException gone) {
            throw new UncheckedIOException(gone);
        }
    }

    /** The cursor of a place in an export: opaque, base64url of {@code e<nanos>.<seq>}. */
    public static String cursor(ExportPosition position) {
        Instant at = position.occurredAt();
        long nanos = Math.addExact(Math.multiplyExact(at.getEpochSecond(), NANOS_PER_SECOND), at.getNano());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("e" + nanos + "." + position.seq()).getBytes(StandardCharsets.US_ASCII));
    }

    /** The place a cursor this server gave names; any other is {@code 400 invalid_cursor}. */
    public static ExportPosition position(String cursor) {
        try {
            Matcher matcher = CURSOR.matcher(new String(Base64.getUrlDecoder().decode(cursor),
                    StandardCharsets.US_ASCII));
            if (matcher.matches()) {
                long nanos = Long.parseLong(matcher.group(1));
                return new ExportPosition(Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS_PER_SECOND),
                        Math.floorMod(nanos, NANOS_PER_SECOND)), Long.parseLong(matcher.group(2)));
            }
        } catch (IllegalArgumentException malformed) {
            // not base64, or a number out of range: refused below
        }
        throw ApiException.badField("invalid_cursor", "cursor", "Query parameter 'cursor' is not one this server gave.");
    }

    /** The two ways an export is written: a line per record and a line per void. */
    private enum Format {
        NDJSON {
            @Override
            void header(Writer out) {
            }

            @Override
            void write(Writer out, ExportRow row) throws IOException {
                String cursor = cursor(row.position());
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
                String cursor = cursor(row.position());
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
}
