package dev.tally.spring.boot;

import dev.tally.adapter.jdbc.JdbcStorage;
import javax.sql.DataSource;

/** Opens Tally's storage over the application's {@code DataSource} as {@code tally.jdbc.*} says. */
final class TallyJdbc {

    private TallyJdbc() {
    }

    static JdbcStorage open(DataSource dataSource, TallyProperties.Jdbc settings) {
        boolean validate = settings.getMigrations() == TallyProperties.Migrations.VALIDATE;
        JdbcStorage.Embedding embedding = JdbcStorage.over(dataSource).schema(settings.getSchema())
                .migrations(validate ? JdbcStorage.Migrations.VALIDATE : JdbcStorage.Migrations.MIGRATE);
        try {
            return embedding.open();
        } catch (IllegalStateException e) {
            if (!validate) {
                throw e;
            }
            throw new IllegalStateException("tally.jdbc.migrations is 'validate' and Tally's schema '"
                    + settings.getSchema() + "' is not at the latest version: migrate it in a deployment step "
                    + "(JdbcStorage.flyway(dataSource, schema)), or set tally.jdbc.migrations=run", e);
        }
    }
}
