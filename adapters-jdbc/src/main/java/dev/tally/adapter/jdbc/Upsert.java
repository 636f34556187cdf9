package dev.tally.adapter.jdbc;

import java.util.function.IntSupplier;

/**
 * Create-or-replace in SQL that both H2 and PostgreSQL run the same way: update; if no row was
 * there, insert unless a concurrent writer inserted first; then update that row.
 */
final class Upsert {

    private Upsert() {
    }

    /** Returns 1 once the row holds the new values. */
    static int run(IntSupplier update, IntSupplier insertIfAbsent) {
        if (update.getAsInt() == 1 || insertIfAbsent.getAsInt() == 1) {
            return 1;
        }
        return update.getAsInt();
    }
}
