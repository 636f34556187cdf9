package dev.tally.adapter.jdbc;

import dev.tally.application.port.ActivationCodeRepository;
import dev.tally.domain.activation.ActivationCode;
import java.util.Optional;

/**
 * Activation codes in SQL (R45); a redemption is one conditional write on the use count, so two
 * redemptions that read the same count cannot both be stored.
 */
public final class JdbiActivationCodeRepository implements ActivationCodeRepository {

    private final Db db;

    JdbiActivationCodeRepository(Db db) {
        this.db = db;
    }

    @Override
    public void insert(ActivationCode code) {
        db.inTransaction(handle -> {
            Db.attach(handle, ActivationCodeDao.class).insert(code.code(), code.user().value(), code.maxUses(),
                    code.useCount(), code.createdAt());
            return null;
        });
    }

    @Override
    public Optional<ActivationCode> find(String code) {
        return db.read(handle -> Db.attach(handle, ActivationCodeDao.class).find(code));
    }

    @Override
    public boolean replace(ActivationCode code, int expectedUseCount) {
        return db.inTransaction(handle -> Db.attach(handle, ActivationCodeDao.class)
                .replace(code.code(), code.user().value(), code.useCount(), expectedUseCount)) == 1;
    }
}
