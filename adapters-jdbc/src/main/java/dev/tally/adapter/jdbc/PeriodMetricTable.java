package dev.tally.adapter.jdbc;

import java.time.Instant;
import java.util.OptionalInt;
import java.util.function.IntSupplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Every statement on {@code usage_period_metrics}: how many rollups (distinct metrics) each
 * (user, period) has, raised within the user's bound of metrics by one conditional statement (R67),
 * in plain JDBC ({@link Jdbc}); recounted after a refile through {@link Sql}.
 */
final class PeriodMetricTable {

    private static final String PERIOD = " WHERE user_id = ? AND period_start = ? AND period_end = ?";
    private static final String ENSURE = "INSERT INTO usage_period_metrics "
            + "(user_id, period_start, period_end, metrics) VALUES (?, ?, ?, 0) ON CONFLICT DO NOTHING";
    private static final String ADD = "UPDATE usage_period_metrics SET metrics = metrics + ?" + PERIOD;
    private static final String WITHIN = " AND metrics + ? <= ?";
    private static final String COUNT = "SELECT metrics FROM usage_period_metrics" + PERIOD;

    private final Handle handle;

    PeriodMetricTable(Handle handle) {
        this.handle = handle;
    }

    /**
     * Adds {@code added} (either sign) to the number of rollups of the user's period, by one
     * statement that, with {@code max}, is conditional on the result staying within it (R67):
     * the row lock serialises counters on every node, as the rollups' own writes do. False, with
     * nothing changed, when there is no room.
     */
    boolean add(String user, Instant start, Instant end, int added, OptionalInt max) {
        long count = added;
        IntSupplier write = () -> max.isEmpty() ? Jdbc.update(handle, ADD, count, user, start, end)
                : Jdbc.update(handle, ADD + WITHIN, count, user, start, end, count, (long) max.getAsInt());
        if (write.getAsInt() == 1) {
            return true;
        }
        Jdbc.update(handle, ENSURE, user, start, end);
        return write.getAsInt() == 1;
    }

    /** How many rollups the user's period has, as last committed or written here. */
    long count(String user, Instant start, Instant end) {
        return Jdbc.first(handle, COUNT, rs -> rs.getLong(1), user, start, end).orElse(0L);
    }

    /** The statements of refile; attached only when one of them runs. */
    Sql sql() {
        return Db.attach(handle, Sql.class);
    }

    /** The statements Jdbi binds by name. */
    interface Sql {

        @SqlUpdate("DELETE FROM usage_period_metrics WHERE user_id = :user")
        void deleteAll(String user);

        /** Counts a user's rollups per period again (R67), after they were rebuilt. */
        @SqlUpdate("INSERT INTO usage_period_metrics (user_id, period_start, period_end, metrics) "
                + "SELECT user_id, period_start, period_end, COUNT(*) FROM usage_rollups WHERE user_id = :user "
                + "GROUP BY user_id, period_start, period_end")
        void recount(String user);
    }
}
