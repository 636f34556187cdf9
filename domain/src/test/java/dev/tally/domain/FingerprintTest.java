package dev.tally.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class FingerprintTest {

    @Test
    void R20_equal_requests_have_equal_fingerprints_whatever_the_spelling_of_a_decimal_or_the_order_of_a_map() {
        assertThat(Fingerprint.of("op").with("q", new BigDecimal("1")).with("d", Map.of("a", "1", "b", "2")).hex())
                .isEqualTo(Fingerprint.of("op").with("q", new BigDecimal("1.000")).with("d", Map.of("b", "2", "a", "1"))
                        .hex());
        assertThat(Fingerprint.of("op").with("q", new BigDecimal("0.00")).hex())
                .isEqualTo(Fingerprint.of("op").with("q", BigDecimal.ZERO).hex());
    }

    @Test
    void R20_different_requests_have_different_fingerprints() {
        String base = Fingerprint.of("op").with("a", "x").with("b", "y").hex();
        assertThat(Fingerprint.of("other").with("a", "x").with("b", "y").hex()).isNotEqualTo(base);
        assertThat(Fingerprint.of("op").with("a", "x\nb=1:y").hex()).isNotEqualTo(base);
        assertThat(Fingerprint.of("op").with("a", "xb").with("b", "").hex())
                .isNotEqualTo(Fingerprint.of("op").with("a", "x").with("b", "b").hex());
        assertThat(Fingerprint.of("op").with("a", Optional.empty()).hex())
                .isNotEqualTo(Fingerprint.of("op").with("a", Optional.of("")).hex());
        assertThat(Fingerprint.of("op").with("s", OptionalInt.empty()).hex())
                .isNotEqualTo(Fingerprint.of("op").with("s", OptionalInt.of(0)).hex());
        assertThat(Fingerprint.of("op").with("q", new BigDecimal("1")).hex())
                .isNotEqualTo(Fingerprint.of("op").with("q", new BigDecimal("2")).hex());
    }

    @Test
    void sha256_is_lower_case_hex() {
        assertThat(Fingerprint.sha256("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void R64_a_huge_decimal_is_fingerprinted_without_being_spelled_out() {
        assertThat(Fingerprint.of("op").with("q", new BigDecimal("1e999999999")).hex())
                .isNotEqualTo(Fingerprint.of("op").with("q", new BigDecimal("1e-999999999")).hex())
                .hasSize(64);
    }
}
