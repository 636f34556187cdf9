package dev.tally.adapter.http;

import dev.tally.application.access.Principal;
import dev.tally.domain.DomainException;
import dev.tally.domain.user.UserId;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * Who sent a request, as its API key says (R60): an admin, who may act for any user, or one user;
 * and what the key may still send (R67).
 */
record Caller(Principal principal, ClientRates.Allowance allowance) {

    /** Spends {@code count} usage records of the key's record rate, or refuses with 429 (R67). */
    void spendRecords(Context ctx, int count) {
        allowance.records(ctx, count);
    }

    /** The user named by the {@code {user_id}} path parameter, if this caller may act for it. */
    UserId user(Context ctx) {
        return actFor(ctx.pathParam("user_id"));
    }

    /**
     * The user {@code raw} names. A user key naming another user gets exactly the answer a missing
     * user gets, so a key cannot be used to find out which users exist.
     */
    UserId actFor(String raw) {
        UserId user = new UserId(raw);
        if (!principal.canActFor(user)) {
            throw DomainException.notFound("user_not_found", "no user " + user);
        }
        return user;
    }

    /** The user a user key acts for; empty for an admin. */
    Optional<UserId> restrictedTo() {
        return principal.user();
    }

    boolean isAdmin() {
        return principal.isAdmin();
    }

    /** The id of the key the request came with, as the audit log names the actor (R93). */
    String keyId() {
        return principal.keyId().orElse("");
    }
}
