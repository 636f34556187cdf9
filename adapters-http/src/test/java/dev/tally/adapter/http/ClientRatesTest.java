package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.ManualClock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The allowances a node holds stay bounded whatever addresses call it (R67). */
class ClientRatesTest {

    @Test
    void R67_the_allowances_of_addresses_whose_buckets_are_full_again_are_forgotten() {
        ClientRates rates = new ClientRates(RateLimits.DEFAULTS, new ManualClock(Instant.parse("2026-10-15T12:00:00Z")));

        int most = 0;
        for (int i = 0; i < 100_000; i++) {
            rates.address("2001:db8::" + Integer.toHexString(i));
            most = Math.max(most, rates.addressesHeld());
        }

        assertThat(most).as("held at once, of 100 000 addresses seen").isLessThanOrEqualTo(8192);
    }
}
