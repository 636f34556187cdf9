package dev.tally.adapter.jdbc;

import dev.tally.application.port.BatchPlan.Rollup;
import dev.tally.application.port.MeterStore;
import dev.tally.domain.meter.Aggregation;
import dev.tally.domain.meter.Meter;
import dev.tally.domain.meter.MeterDecision;
import dev.tally.domain.plan.MetricKey;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Every statement on meters (R81–R84), in the handle's transaction: their definitions and the
 * catalog version, a meter rollup's latest instant, the distinct values of {@code unique_count}
 * meters and the values of groups.
 */
final class MeterTable {

    /** The group key of a meter's own distinct values. */
    static final String OWN = "";
    /** The group key of the records beyond {@link MeterStore#MAX_GROUPS} groups. */
    static final String OTHER = "-";

    private static final String COLUMNS =
            "meter_key, source, aggregation, unique_dimension, filter_values, group_by, name";
    private static final String ROLLUP_KEY =
            " WHERE user_id = ? AND period_start = ? AND period_end = ? AND metric = ?";
    private static final String METER_KEY =
            " WHERE user_id = ? AND meter = ? AND period_start = ? AND period_end = ? AND group_key = ?";

    private final Handle handle;

    MeterTable(Handle handle) {
        this.handle = handle;
    }

    static Meter map(ResultSet rs) throws SQLException {
        List<String> filterValues = Strings.split(rs.getString("filter_values"));
        Map<String, List<String>> filter = new LinkedHashMap<>();
        for (int at = 0; at < filterValues.size(); ) {
            String dimension = filterValues.get(at);
            int count = Integer.parseInt(filterValues.get(at + 1));
            filter.put(dimension, filterValues.subList(at + 2, at + 2 + count));
            at += 2 + count;
        }
        return new Meter(new MetricKey(rs.getString("meter_key")), new MetricKey(rs.getString("source")),
                Aggregation.parse(rs.getString("aggregation")), Optional.ofNullable(rs.getString("unique_dimension")),
                filter, Strings.split(rs.getString("group_by")), Optional.ofNullable(rs.getString("name")));
    }

    List<Meter> all() {
        return Jdbc.list(handle, "SELECT " + COLUMNS + " FROM meters ORDER BY meter_key", MeterTable::map);
    }

    Optional<Meter> find(String key) {
        return Jdbc.first(handle, "SELECT " + COLUMNS + " FROM meters WHERE meter_key = ?", MeterTable::map, key);
    }

    long version() {
        return Jdbc.first(handle, "SELECT version FROM meter_catalog WHERE id = 1", rs -> rs.getLong(1)).orElse(0L);
    }

    /** Locks the catalog until the transaction ends, so that definitions change one at a time. */
    void lockCatalog() {
        Jdbc.update(handle, "UPDATE meter_catalog SET version = version + 1 WHERE id = 1");
    }

    long countOfSource(String source) {
        return Jdbc.first(handle, "SELECT COUNT(*) FROM meters WHERE source = ?", rs -> rs.getLong(1), source)
                .orElse(0L);
    }

    boolean isSource(String metric) {
        return Jdbc.first(handle, "SELECT 1 FROM meters WHERE source = ?", rs -> 1, metric).isPresent();
    }

    /** Whether any rollup of {@code metric} holds usage: a meter that recorded, or a recorded metric. */
    boolean recorded(String metric) {
        return Jdbc.first(handle, "SELECT 1 FROM usage_rollups WHERE metric = ? AND used <> 0", rs -> 1, metric)
                .isPresent();
    }

    void insert(Meter meter, Instant at) {
        Jdbc.update(handle, "INSERT INTO meters (" + COLUMNS + ", created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                values(meter, at));
    }

    void update(Meter meter) {
        Object[] values = values(meter, Instant.EPOCH);
        Jdbc.update(handle, "UPDATE meters SET source = ?, aggregation = ?, unique_dimension = ?, filter_values = ?, "
                + "group_by = ?, name = ? WHERE meter_key = ?", values[1], values[2], values[3], values[4], values[5],
                values[6], values[0]);
    }

    private static Object[] values(Meter meter, Instant at) {
        List<String> filter = new ArrayList<>();
        meter.filter().forEach((dimension, accepted) -> {
            filter.add(dimension);
            filter.add(Integer.toString(accepted.size()));
            filter.addAll(accepted);
        });
        return new Object[] {meter.key().value(), meter.source().value(), meter.aggregation().wire(),
                meter.uniqueDimension().orElse(null), Strings.join(filter), Strings.join(meter.groupBy()),
                meter.name().orElse(null), at};
    }

    /** A meter rollup's value, reserved and latest instant, locked until the transaction ends. */
    MeterDecision.State locked(String user, Rollup rollup) {
        return Jdbc.first(handle, "SELECT used, reserved, latest_at FROM usage_rollups" + ROLLUP_KEY + " FOR UPDATE",
                MeterTable::state, user, rollup.period().start(), rollup.period().end(), rollup.metric().value())
                .orElse(MeterDecision.State.EMPTY);
    }

    private static MeterDecision.State state(ResultSet rs) throws SQLException {
        long latest = rs.getLong("latest_at");
        Optional<Instant> latestAt = rs.wasNull() ? Optional.empty() : Optional.of(Instants.fromNanos(latest));
        return new MeterDecision.State(Decimals.quantity(rs, "used"), Decimals.quantity(rs, "reserved"), latestAt);
    }

    /** Sets a meter rollup's value (and latest instant) as its decision left it. */
    void set(String user, Rollup rollup, MeterDecision.State after) {
        Object[] key = {user, rollup.period().start(), rollup.period().end(), rollup.metric().value()};
        if (after.latestAt().isPresent()) {
            Jdbc.update(handle, "UPDATE usage_rollups SET used = ?, latest_at = ?" + ROLLUP_KEY, concat(
                    new Object[] {after.value(), after.latestAt().get()}, key));
        } else {
            Jdbc.update(handle, "UPDATE usage_rollups SET used = ?" + ROLLUP_KEY, concat(new Object[] {after.value()},
                    key));
        }
    }

    /** Of {@code values}, those already stored in the distinct set of (meter rollup, group). */
    Set<String> seen(String user, Rollup rollup, String group, List<String> values) {
        Set<String> seen = new HashSet<>();
        for (int from = 0; from < values.size(); from += 500) {
            List<String> chunk = values.subList(from, Math.min(values.size(), from + 500));
            String in = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
            Object[] parameters = concat(meterKey(user, rollup, group), chunk.toArray());
            seen.addAll(Jdbc.list(handle, "SELECT distinct_value FROM meter_distinct" + METER_KEY
                    + " AND distinct_value IN (" + in + ")", rs -> rs.getString(1), parameters));
        }
        return seen;
    }

    /**
     * Overwrites a meter rollup's value and latest instant with what a fold of its facts computed:
     * no latest instant clears it (the record that held it was voided, R92).
     */
    void reset(String user, Rollup rollup, MeterDecision.State truth) {
        long latest = truth.latestAt().map(Instants::toNanos).orElse(-1L);
        Jdbc.update(handle, "UPDATE usage_rollups SET used = ?, latest_at = NULLIF(?, -1)" + ROLLUP_KEY,
                truth.value(), latest, user, rollup.period().start(), rollup.period().end(), rollup.metric().value());
    }

    /** Stores new distinct values; the count of those this insert found new. */
    int addDistinct(String user, Rollup rollup, String group, List<String> values) {
        if (values.isEmpty()) {
            return 0;
        }
        int[] counts = Jdbc.batch(handle, "INSERT INTO meter_distinct (user_id, meter, period_start, period_end, "
                + "group_key, distinct_value) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", values.stream()
                .map(value -> concat(meterKey(user, rollup, group), new Object[] {value})).toList());
        int added = 0;
        for (int count : counts) {
            added += count > 0 ? 1 : 0;
        }
        return added;
    }

    /** A group's value and latest instant, locked; empty when the group has no row. */
    Optional<MeterDecision.State> group(String user, Rollup rollup, String group) {
        return Jdbc.first(handle, "SELECT used, 0 AS reserved, latest_at FROM meter_groups" + METER_KEY
                + " FOR UPDATE", MeterTable::state, meterKey(user, rollup, group));
    }

    long groupCount(String user, Rollup rollup) {
        return Jdbc.first(handle, "SELECT COUNT(*) FROM meter_groups WHERE user_id = ? AND meter = ? "
                        + "AND period_start = ? AND period_end = ?", rs -> rs.getLong(1), user, rollup.metric().value(),
                rollup.period().start(), rollup.period().end()).orElse(0L);
    }

    void putGroup(String user, Rollup rollup, String group, MeterDecision.State after, boolean exists) {
        Object[] key = meterKey(user, rollup, group);
        long latest = after.latestAt().map(Instants::toNanos).orElse(-1L);
        if (exists) {
            Jdbc.update(handle, "UPDATE meter_groups SET used = ?, latest_at = NULLIF(?, -1)"
                    + METER_KEY, concat(new Object[] {after.value(), latest}, key));
        } else {
            Jdbc.update(handle, "INSERT INTO meter_groups (user_id, meter, period_start, period_end, group_key, used, "
                    + "latest_at) VALUES (?, ?, ?, ?, ?, ?, NULLIF(?, -1))",
                    concat(key, new Object[] {after.value(), latest}));
        }
    }

    /** A meter's groups in a period: key and value, largest first. */
    List<Map.Entry<String, BigDecimal>> groups(String user, Rollup rollup) {
        return Jdbc.list(handle, "SELECT group_key, used FROM meter_groups WHERE user_id = ? AND meter = ? "
                        + "AND period_start = ? AND period_end = ? ORDER BY used DESC, group_key",
                rs -> Map.entry(rs.getString("group_key"), Decimals.quantity(rs, "used")), user,
                rollup.metric().value(), rollup.period().start(), rollup.period().end());
    }

    /** A fact as a meter reads it. */
    record Fact(BigDecimal quantity, Instant occurredAt, String dimensions) {
    }

    /** Each (user, start, end) with facts of {@code source} or a rollup of {@code meter} ending after {@code since}. */
    List<Object[]> periods(String source, String meter, Instant since) {
        return Jdbc.list(handle, "SELECT user_id, period_start, period_end FROM usage_facts WHERE metric = ? "
                        + "AND period_end > ? UNION SELECT user_id, period_start, period_end FROM usage_rollups "
                        + "WHERE metric = ? AND period_end > ? ORDER BY 1, 2",
                rs -> new Object[] {rs.getString(1), Instants.get(rs, "period_start"), Instants.get(rs, "period_end")},
                source, since, meter, since);
    }

    /** The facts of one (user, source, period) that are not void (R92), in the order they were stored. */
    List<Fact> facts(String user, String source, Instant start, Instant end) {
        return Jdbc.list(handle, "SELECT quantity, occurred_at, dimensions FROM usage_facts f WHERE user_id = ? "
                        + "AND metric = ? AND period_start = ? AND period_end = ? "
                        + "AND NOT EXISTS (SELECT 1 FROM usage_voids v WHERE v.fact_id = f.id) ORDER BY id",
                rs -> new Fact(Decimals.quantity(rs, "quantity"), Instants.get(rs, "occurred_at"),
                        rs.getString("dimensions")), user, source, start, end);
    }

    /** The periods a user's facts of {@code source} are filed in. */
    List<dev.tally.domain.period.BillingPeriod> periodsOf(String user, String source) {
        return Jdbc.list(handle, "SELECT DISTINCT period_start, period_end FROM usage_facts WHERE user_id = ? "
                        + "AND metric = ? ORDER BY 1, 2", rs -> new dev.tally.domain.period.BillingPeriod(
                        Instants.get(rs, "period_start"), Instants.get(rs, "period_end")), user, source);
    }

    /** Deletes a user's distinct values and groups of every meter, before a rebuild. */
    void clearUser(String user) {
        Jdbc.update(handle, "DELETE FROM meter_distinct WHERE user_id = ?", user);
        Jdbc.update(handle, "DELETE FROM meter_groups WHERE user_id = ?", user);
    }

    /** Every distinct value of (meter rollup, group). */
    Set<String> distinct(String user, Rollup rollup, String group) {
        return new HashSet<>(Jdbc.list(handle, "SELECT distinct_value FROM meter_distinct" + METER_KEY,
                rs -> rs.getString(1), meterKey(user, rollup, group)));
    }

    /** Deletes a meter rollup's distinct values and groups, before they are written again. */
    void clear(String user, Rollup rollup) {
        Object[] key = {user, rollup.metric().value(), rollup.period().start(), rollup.period().end()};
        String where = " WHERE user_id = ? AND meter = ? AND period_start = ? AND period_end = ?";
        Jdbc.update(handle, "DELETE FROM meter_distinct" + where, key);
        Jdbc.update(handle, "DELETE FROM meter_groups" + where, key);
    }

    private static Object[] meterKey(String user, Rollup rollup, String group) {
        return new Object[] {user, rollup.metric().value(), rollup.period().start(), rollup.period().end(), group};
    }

    private static Object[] concat(Object[] first, Object[] second) {
        Object[] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
