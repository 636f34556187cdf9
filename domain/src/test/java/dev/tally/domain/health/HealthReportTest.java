package dev.tally.domain.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class HealthReportTest {

    @Test
    void R51_no_requests_is_healthy() {
        HealthReport report = HealthReport.of(300, 0, 0, 0);

        assertThat(report.status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(report.errorRate()).isZero();
    }

    @Test
    void R51_above_five_percent_server_errors_is_warning_and_above_ten_is_critical() {
        assertThat(HealthReport.of(300, 100, 0, 5).status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(HealthReport.of(300, 100, 0, 6).status()).isEqualTo(HealthStatus.WARNING);
        assertThat(HealthReport.of(300, 100, 0, 10).status()).isEqualTo(HealthStatus.WARNING);
        assertThat(HealthReport.of(300, 100, 0, 11).status()).isEqualTo(HealthStatus.CRITICAL);
        assertThat(HealthReport.of(300, 100, 0, 11).errorRate()).isEqualTo(new BigDecimal("11.00"));
    }

    @Test
    void R51_quota_denials_are_client_errors_and_do_not_make_the_service_unhealthy() {
        HealthReport report = HealthReport.of(300, 100, 90, 0);

        assertThat(report.clientErrors()).isEqualTo(90);
        assertThat(report.status()).isEqualTo(HealthStatus.HEALTHY);
    }
}
