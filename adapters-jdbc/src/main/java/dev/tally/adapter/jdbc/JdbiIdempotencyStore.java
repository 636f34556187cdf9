package dev.tally.adapter.jdbc;

import dev.tally.application.port.IdempotencyStore;
import dev.tally.application.port.StorageUnavailableException;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.Optional;

/**
 * Idempotency keys in SQL (R20), kept across restarts. A claim commits on a connection of its
 * own, so a concurrent retry sees it at once; completing the key happens in the caller's
 * transaction, so the key is completed exactly when the work commits.
 */
public final class JdbiIdempotencyStore implements IdempotencyStore {

    static final String COMPLETED = "completed";
    /** Re-reads after a claim raced with a release or a takeover; each round makes progress. */
    private static final int ROUNDS = 16;

    private final Db db;

    JdbiIdempotencyStore(Db db) {
        this.db = db;
    }

    /**
     * {@inheritDoc}
     *
     * <p>When the connection is lost while the claim commits, the claim may be stored all the
     * same; left in flight, it would make the client's retry {@code 409} until its lease ends. So
     * a claim found stored with this request's payload and instant is taken as this request's.
     */
    @Override
    public Claim claim(UserId user, IdempotencyKey key, String fingerprint, Instant now) {
        try {
            return claimOnce(user, key, fingerprint, now);
        } catch (StorageUnavailableException e) {
            try {
                boolean ours = db.read(handle ->
                                Db.attach(handle, IdempotencyDao.class).find(user.value(), key.value()))
                        .filter(row -> !row.completed() && row.fingerprint().equals(fingerprint)
                                && row.claimedAt().equals(now))
                        .isPresent();
                if (ours) {
                    return new Claimed();
                }
            } catch (StorageUnavailableException stillDown) {
                e.addSuppressed(stillDown);
            }
            throw e;
        }
    }

    private Claim claimOnce(UserId user, IdempotencyKey key, String fingerprint, Instant now) {
        return db.alone(handle -> {
            IdempotencyDao dao = Db.attach(handle, IdempotencyDao.class);
            for (int round = 0; round < ROUNDS; round++) {
                if (dao.insertClaim(user.value(), key.value(), fingerprint, now) == 1) {
                    return new Claimed();
                }
                Optional<IdempotencyDao.KeyRow> stored = dao.find(user.value(), key.value());
                if (stored.isEmpty()) {
                    continue; // released in between: claim it afresh
                }
                IdempotencyDao.KeyRow row = stored.get();
                boolean samePayload = row.fingerprint().equals(fingerprint);
                if (!row.completed() && samePayload && row.claimedAt().plus(LEASE).isBefore(now)) {
                    // The writer that claimed it is presumed dead: take its lease over.
                    if (dao.takeOver(user.value(), key.value(), row.claimedAt(), now) == 1) {
                        return new Claimed();
                    }
                    continue;
                }
                if (!samePayload) {
                    return new Reused();
                }
                return row.completed() ? new Replay(row.result()) : new InFlight();
            }
            throw new IllegalStateException("idempotency key " + key + " of " + user + " keeps changing under a claim");
        });
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException when another request completed the key first (it took an
     *                               expired claim over): this write must roll back, so the key
     *                               counts once
     */
    @Override
    public void complete(UserId user, IdempotencyKey key, String result) {
        db.inTransaction(handle -> {
            IdempotencyDao dao = Db.attach(handle, IdempotencyDao.class);
            if (dao.complete(user.value(), key.value(), result) == 0
                    && dao.find(user.value(), key.value()).filter(IdempotencyDao.KeyRow::completed).isPresent()) {
                throw new IllegalStateException("idempotency key " + key + " of " + user
                        + " was completed by another request");
            }
            return null;
        });
    }

    @Override
    public void release(UserId user, IdempotencyKey key) {
        db.inTransaction(handle -> Db.attach(handle, IdempotencyDao.class).release(user.value(), key.value()));
    }
}
