package dev.tally.spring.boot;

import dev.tally.adapter.jdbc.JdbcStorage;
import javax.sql.DataSource;
import org.springframework.util.ClassUtils;

/** Opens Tally's storage over the application's {@code DataSource} as {@code tally.jdbc.*} says. */
final class TallyJdbc {

    private static final String SPRING_JDBC = "org.springframework.jdbc.datasource.DataSourceUtils";

    private TallyJdbc() {
    }

    static JdbcStorage open(DataSource dataSource, TallyProperties.Jdbc settings) {
        boolean validate = settings.getMigrations() == TallyProperties.Migrations.VALIDATE;
        JdbcStorage.Embedding embedding = JdbcStorage.over(dataSource).schema(settings.getSchema())
                .migrations(validate ? JdbcStorage.Migrations.VALIDATE : JdbcStorage.Migrations.MIGRATE);
        if (settings.isJoinTransactions()) {
            if (!ClassUtils.isPresent(SPRING_JDBC, TallyJdbc.class.getClassLoader())) {
                throw new IllegalStateException("tally.jdbc.join-transactions is true but spring-jdbc is missing: "
                        + "add org.springframework:spring-jdbc (spring-boot-starter-jdbc brings it)");
            }
            embedding = embedding.joiningTransactions(new SpringCallerTransactions(dataSource));
        }
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
