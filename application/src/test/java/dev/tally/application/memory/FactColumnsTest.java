package dev.tally.application.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.port.PeriodRecord;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.usage.UsageRecord;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The compact rows of in-memory facts give back exactly what was stored. */
class FactColumnsTest {

    private static final UserId ACME = new UserId("acme");
    private static final BillingPeriod PERIOD =
            new BillingPeriod(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-02-01T00:00:00Z"));

    private static UsageRecord record(String key, String quantity, Instant at, Map<String, String> dimensions) {
        return new UsageRecord(ACME, new MetricKey("tokens"), new BigDecimal(quantity), at, new IdempotencyKey(key),
                dimensions);
    }

    @Test
    void R20_R94_a_stored_fact_reads_back_field_for_field_with_its_fingerprint_and_order() {
        FactColumns table = new FactColumns();
        Instant at = Instant.parse("2026-01-05T10:00:00.123456789Z");
        UsageRecord[] records = {
            record("k-1", "1.5", at, Map.of()),
            record("ключ-ü-🙂", "0.000001", at.plusNanos(1), Map.of("model", "gpt-4o", "provider", "openai")),
            // Beyond a long when unscaled: kept as it is.
            record("k-3", "999999999999999.999999", at, Map.of("model", "gpt-4o")),
            record("k-4", "1000000000000000", at, Map.of()),
        };
        String[] fingerprints = {new PeriodRecord(records[0], PERIOD).fingerprint(),
            "0000000000000000000000000000000000000000000000000000000000000000", "not-a-hex-fingerprint",
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"};
        for (int i = 0; i < records.length; i++) {
            assertThat(table.put(records[i], fingerprints[i], PERIOD, 10 + i)).isEqualTo(i);
        }
        for (int i = 0; i < records.length; i++) {
            int row = table.find(records[i].idempotencyKey().value());
            assertThat(row).isEqualTo(i);
            assertThat(table.record(row, ACME)).isEqualTo(records[i]);
            assertThat(table.quantity(row)).isEqualTo(records[i].quantity());
            assertThat(table.fingerprint(row)).isEqualTo(fingerprints[i]);
            assertThat(table.period(row)).isEqualTo(PERIOD);
            assertThat(table.sequence(row)).isEqualTo(10 + i);
        }
        assertThat(table.find("k-5")).isEqualTo(-1);
        assertThat(table.occurredBefore(0, at)).isFalse();
        assertThat(table.occurredBefore(0, at.plusNanos(1))).isTrue();
    }

    @Test
    void R20_a_key_stored_again_keeps_its_row_and_order_and_many_keys_are_all_found() {
        FactColumns table = new FactColumns();
        Instant at = Instant.parse("2026-01-05T10:00:00Z");
        for (int i = 0; i < 10_000; i++) {
            table.put(record("key-" + i, String.valueOf(i + 1), at, Map.of()), "f" + i, PERIOD, i);
        }
        UsageRecord again = record("key-7", "3", at.plusSeconds(1), Map.of("model", "x"));
        assertThat(table.put(again, "g", PERIOD, 99_999)).isEqualTo(7);
        assertThat(table.size()).isEqualTo(10_000);
        assertThat(table.record(7, ACME)).isEqualTo(again);
        assertThat(table.sequence(7)).isEqualTo(7);
        assertThat(table.fingerprint(7)).isEqualTo("g");
        for (int i = 0; i < 10_000; i++) {
            assertThat(table.find("key-" + i)).isEqualTo(i);
        }
    }
}
