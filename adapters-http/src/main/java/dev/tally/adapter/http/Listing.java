package dev.tally.adapter.http;

import dev.tally.application.usecase.Paging;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one shape of every list: {@code {"data": [...], "has_more", "next_cursor"}}, paged by
 * {@code limit} (1–100) and an opaque {@code cursor} that a previous page gave.
 *
 * <p>The shapes before it stay for one release: each answer also carries the list under its old
 * name (and, where there was one, {@code limit}, {@code offset} and {@code total}), and
 * {@code ?offset=} is still read; every list answer says so with {@code Deprecation} (RFC 9745),
 * {@code Sunset} (RFC 8594) and a {@code Link} to the document that describes the new shape.
 */
final class Listing {

    /** When the old list shapes were deprecated: 2026-12-07T00:00:00Z, as RFC 9745 writes it. */
    static final String DEPRECATION = "@1796601600";
    /** When the old list shapes go. */
    static final String SUNSET = "Tue, 01 Jun 2027 00:00:00 GMT";
    static final String LINK = "</openapi.json>; rel=\"deprecation\"; type=\"application/json\"";

    /** Lists that had no paging before answer up to this many by default, so old clients still see every item. */
    static final int UNPAGED_DEFAULT = Paging.MAX_LIMIT;

    private static final Pattern OFFSET_CURSOR = Pattern.compile("o([0-9]{1,9})");

    private Listing() {
    }

    /** Where a page starts and how long it is, from {@code ?limit=} and {@code ?cursor=} (or the old {@code ?offset=}). */
    static Paging window(Context ctx, int defaultLimit) {
        int limit = RequestFields.intQuery(ctx, "limit", defaultLimit, "invalid_paging");
        Optional<String> cursor = cursor(ctx);
        int offset = cursor.isPresent() ? offset(cursor.get())
                : RequestFields.intQuery(ctx, "offset", 0, "invalid_paging");
        return new Paging(limit, offset);
    }

    /** The {@code cursor} query parameter, absent when empty. */
    static Optional<String> cursor(Context ctx) {
        return Optional.ofNullable(ctx.queryParam("cursor")).filter(c -> !c.isEmpty());
    }

    /** The cursor of the page that starts {@code offset} items in. */
    static String offsetCursor(long offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("o" + offset).getBytes(StandardCharsets.US_ASCII));
    }

    private static int offset(String cursor) {
        try {
            Matcher matcher = OFFSET_CURSOR.matcher(new String(Base64.getUrlDecoder().decode(cursor),
                    StandardCharsets.US_ASCII));
            if (matcher.matches()) {
                return Integer.parseInt(matcher.group(1));
            }
        } catch (IllegalArgumentException e) {
            // not base64: refused below like any other cursor this server did not give
        }
        throw ApiException.badField("invalid_cursor", "cursor", "Query parameter 'cursor' is not one this server gave.");
    }

    /** Answers a page of a list whose items are all at hand, cut by the request's window. */
    static void slice(Context ctx, List<?> all, String legacyName) {
        Paging window = window(ctx, UNPAGED_DEFAULT);
        int from = Math.min(window.offset(), all.size());
        int to = Math.min(from + window.limit(), all.size());
        boolean more = to < all.size();
        answer(ctx, all.subList(from, to), more, more ? offsetCursor(to) : null, Map.of(legacyName, all.subList(from, to)));
    }

    /** Answers a page of a list counted by the store: the old {@code limit}, {@code offset} and {@code total} kept. */
    static void counted(Context ctx, List<?> page, Paging window, long total, String legacyName) {
        boolean more = window.offset() + (long) page.size() < total;
        Map<String, Object> legacy = new LinkedHashMap<>();
        legacy.put(legacyName, page);
        legacy.put("limit", window.limit());
        legacy.put("offset", window.offset());
        legacy.put("total", total);
        answer(ctx, page, more, more ? offsetCursor(window.offset() + (long) page.size()) : null, legacy);
    }

    /** Answers a page of a list the store pages by its own cursor. */
    static void cursored(Context ctx, List<?> page, Optional<String> next, String legacyName) {
        answer(ctx, page, next.isPresent(), next.orElse(null), Map.of(legacyName, page));
    }

    private static void answer(Context ctx, List<?> data, boolean hasMore, String nextCursor,
                               Map<String, Object> legacy) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", data);
        body.put("has_more", hasMore);
        body.put("next_cursor", nextCursor);
        body.putAll(legacy);
        ctx.header("Deprecation", DEPRECATION);
        ctx.header("Sunset", SUNSET);
        ctx.header("Link", LINK);
        ctx.json(body);
    }
}
