package dev.tally.adapter.http;

import static dev.tally.adapter.http.RouteTable.Access.ADMIN;

import dev.tally.application.port.AuditEntry;
import dev.tally.application.audit.AuditPage;
import dev.tally.application.audit.AuditService;
import dev.tally.application.audit.ListAudit;
import dev.tally.application.usecase.Paging;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The audit log (R93): {@code GET /v1/audit-log?target=&action=&cursor=&limit=}, admin only,
 * newest first, in the one list shape.
 */
final class AuditRoutes {

    private static final Pattern BEFORE_CURSOR = Pattern.compile("b([1-9][0-9]{0,18})");

    private final AuditService audit;

    AuditRoutes(AuditService audit) {
        this.audit = audit;
    }

    void register(RouteTable routes) {
        routes.get("/v1/audit-log", ADMIN, (ctx, caller) -> {
            ListAudit query = new ListAudit(filter(ctx, "target"), filter(ctx, "action"), before(ctx),
                    RequestFields.intQuery(ctx, "limit", Paging.DEFAULT_LIMIT, "invalid_paging"));
            AuditPage page = audit.list(query);
            Listing.cursored(ctx, page.entries().stream().map(EntryResponse::from).toList(),
                    page.before().isPresent() ? Optional.of(cursor(page.before().getAsLong())) : Optional.empty(),
                    "entries");
        });
    }

    private static Optional<String> filter(Context ctx, String name) {
        return Optional.ofNullable(RequestFields.text(ctx.queryParam(name), name, AuditEntry.MAX_NAME));
    }

    private static OptionalLong before(Context ctx) {
        Optional<String> cursor = Listing.cursor(ctx);
        if (cursor.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            Matcher matcher = BEFORE_CURSOR.matcher(new String(Base64.getUrlDecoder().decode(cursor.get()),
                    StandardCharsets.US_ASCII));
            if (matcher.matches()) {
                return OptionalLong.of(Long.parseLong(matcher.group(1)));
            }
        } catch (IllegalArgumentException e) {
            // not base64 or too large: refused below like any other cursor this server did not give
        }
        throw ApiException.badField("invalid_cursor", "cursor", "Query parameter 'cursor' is not one this server gave.");
    }

    private static String cursor(long before) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("b" + before).getBytes(StandardCharsets.US_ASCII));
    }

    /** One entry as the log answers it. */
    record EntryResponse(long id, String at, String actorKeyId, String action, String target, String requestId,
                         String summary) {
        static EntryResponse from(AuditEntry entry) {
            return new EntryResponse(entry.id(), entry.at().toString(), entry.actorKeyId(), entry.action(),
                    entry.target(), entry.requestId(), entry.summary());
        }
    }
}
