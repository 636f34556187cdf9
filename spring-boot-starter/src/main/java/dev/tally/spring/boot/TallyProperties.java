package dev.tally.spring.boot;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Tally's settings in a Spring Boot application, the {@code tally.*} properties (R96). With none
 * set, Tally keeps its tables in the schema {@code tally} of the application's {@code DataSource},
 * migrating it at start-up, and serves no HTTP.
 */
@ConfigurationProperties("tally")
public class TallyProperties {

    private final Jdbc jdbc = new Jdbc();
    private final Http http = new Http();

    /** Storage in the application's {@code DataSource}. */
    public Jdbc getJdbc() {
        return jdbc;
    }

    /** The HTTP API on a port of its own. */
    public Http getHttp() {
        return http;
    }

    /** What start-up does with Tally's schema. */
    public enum Migrations {
        /** Apply the migrations the schema lacks, creating it if need be. */
        RUN,
        /** Change nothing; refuse to start unless the schema is at the latest version. */
        VALIDATE
    }

    /** {@code tally.jdbc.*}: Tally's tables in the application's {@code DataSource}. */
    public static class Jdbc {

        /**
         * The schema of Tally's tables and its Flyway history: lower-case letters, digits and
         * underscores.
         */
        private String schema = "tally";

        /**
         * Whether start-up migrates Tally's schema ({@code run}) or only checks that it is at the
         * latest version ({@code validate}), for applications that migrate in a deployment step.
         */
        private Migrations migrations = Migrations.RUN;

        /**
         * Whether Tally's reads and writes join the application's Spring transaction on the same
         * {@code DataSource} when one is open, so that a business write and its metering commit or
         * roll back together; needs spring-jdbc. Row locks are then held until the application's
         * commit, and a conflict is the application's to retry.
         */
        private boolean joinTransactions;

        /** The schema of Tally's tables. */
        public String getSchema() {
            return schema;
        }

        /** Sets the schema of Tally's tables. */
        public void setSchema(String schema) {
            this.schema = schema;
        }

        /** What start-up does with the schema. */
        public Migrations getMigrations() {
            return migrations;
        }

        /** Sets what start-up does with the schema. */
        public void setMigrations(Migrations migrations) {
            this.migrations = migrations;
        }

        /** Whether Tally joins the application's transactions. */
        public boolean isJoinTransactions() {
            return joinTransactions;
        }

        /** Sets whether Tally joins the application's transactions. */
        public void setJoinTransactions(boolean joinTransactions) {
            this.joinTransactions = joinTransactions;
        }
    }

    /** {@code tally.http.*}: Tally's HTTP API, beside the application's own web server. */
    public static class Http {

        /** Whether Tally's HTTP API listens, on a port of its own; needs tally-adapters-http. */
        private boolean enabled;

        /** The port of Tally's HTTP API (0 for any free port). */
        private int port = 8081;

        /** Whether Tally's HTTP API listens. */
        public boolean isEnabled() {
            return enabled;
        }

        /** Sets whether Tally's HTTP API listens. */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** The port of Tally's HTTP API. */
        public int getPort() {
            return port;
        }

        /** Sets the port of Tally's HTTP API. */
        public void setPort(int port) {
            this.port = port;
        }
    }
}
