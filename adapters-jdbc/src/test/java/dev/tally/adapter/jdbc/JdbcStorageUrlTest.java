package dev.tally.adapter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JdbcStorageUrlTest {

    @Test
    void h2_urls_get_postgresql_mode_and_file_databases_get_no_write_delay() {
        assertThat(JdbcStorage.withDefaults("jdbc:h2:file:./tally-data/tally")).isEqualTo(
                "jdbc:h2:file:./tally-data/tally;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;"
                        + "LOCK_TIMEOUT=10000;WRITE_DELAY=0");
        assertThat(JdbcStorage.withDefaults("jdbc:h2:mem:t")).doesNotContain("WRITE_DELAY").contains(";MODE=PostgreSQL");
    }

    @Test
    void settings_named_in_the_url_are_kept() {
        assertThat(JdbcStorage.withDefaults("jdbc:h2:mem:t;LOCK_TIMEOUT=50"))
                .contains(";LOCK_TIMEOUT=50").doesNotContain("LOCK_TIMEOUT=10000");
    }

    @Test
    void other_databases_are_left_alone() {
        String url = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
        assertThat(JdbcStorage.withDefaults(url)).isEqualTo(url);
    }
}
