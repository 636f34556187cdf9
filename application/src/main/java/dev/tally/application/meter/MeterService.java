package dev.tally.application.meter;

import dev.tally.application.port.MeterStore;
import dev.tally.application.port.UsageLedger;
import dev.tally.application.user.Accounts;
import dev.tally.domain.DomainException;
import dev.tally.domain.meter.Meter;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.user.User;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Meters (R81, R83): the operator defines them; anyone who may read a user reads a meter's value
 * for that user's period, and its groups. Writes feed them through {@code Metering}.
 */
public class MeterService {

    private final UsageLedger store;
    private final Accounts accounts;
    private final Clock clock;

    public MeterService(UsageLedger store, Accounts accounts, Clock clock) {
        this.store = store;
        this.accounts = accounts;
        this.clock = clock;
    }

    /**
     * Defines or redefines a meter. A changed definition of a meter that recorded usage is
     * {@code 409 meter_in_use}; a key that is a recorded metric or a source of meters, a source
     * that is a meter, or a 51st meter of a source, {@code 400}s; nothing is stored then.
     */
    public Meter put(Meter meter) {
        switch (store.putMeter(meter, clock.instant())) {
            case IN_USE -> throw DomainException.conflict("meter_in_use", "meter " + meter.key()
                    + " has recorded usage and its definition cannot change; define a new key");
            case TOO_MANY -> throw DomainException.invalid("too_many_meters", "source " + meter.source()
                    + " already feeds " + Meter.MAX_PER_SOURCE + " meters");
            case KEY_RECORDED -> throw DomainException.invalid("meter_key_reserved", "metric " + meter.key()
                    + " already has recorded usage of its own; choose another key");
            case KEY_IS_SOURCE -> throw DomainException.invalid("meter_key_reserved", "metric " + meter.key()
                    + " is the source of other meters; choose another key");
            case SOURCE_IS_METER -> throw DomainException.invalid("meter_source_invalid", "source " + meter.source()
                    + " is a meter; a meter reads recorded metrics only");
            default -> {
                return meter;
            }
        }
    }

    /** A meter; {@code 404 meter_not_found} when there is none. */
    public Meter get(MetricKey key) {
        return store.meter(key).orElseThrow(() -> DomainException.notFound("meter_not_found",
                "no meter " + key));
    }

    /** Every meter, by key. */
    public List<Meter> list() {
        return store.meters();
    }

    /**
     * A meter's value for a user in the period containing {@code at} (default now), with its
     * groups when {@code grouped} (R83): read from rollups, never from facts.
     */
    public MeterValue value(UserId id, MetricKey key, boolean grouped, Optional<Instant> at) {
        Meter meter = get(key);
        User user = accounts.user(id);
        BillingPeriod period = user.periodAt(at.orElseGet(clock::instant));
        BigDecimal value = store.totals(id, key, period).used();
        return new MeterValue(meter, period, value, grouped ? store.meterGroups(id, key, period) : List.of());
    }

    /** A meter's value in a period, and its groups (largest first). */
    public record MeterValue(Meter meter, BillingPeriod period, BigDecimal value, List<MeterStore.MeterGroup> groups) {
    }
}
