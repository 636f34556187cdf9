package dev.tally.adapter.jdbc;

import java.lang.System.Logger.Level;
import org.flywaydb.core.api.logging.Log;
import org.flywaydb.core.api.logging.LogCreator;

/**
 * Flyway's log as Tally runs its migrations: through the JDK's {@link System.Logger} (which an
 * application's logging takes over, such as Spring Boot's through its JUL bridge), so that opening
 * a storage needs no SLF4J provider and prints no SLF4J warning; and quiet, Flyway's
 * step-by-step INFO lines at {@code DEBUG}, so an embedder sees them only by asking for
 * {@code org.flywaydb} at debug. Warnings and errors stay what they are.
 */
public final class QuietFlywayLog implements LogCreator {

    /** Flyway instantiates it by name ({@code loggers(...)}). */
    public QuietFlywayLog() {
    }

    @Override
    public Log createLogger(Class<?> klass) {
        System.Logger logger = System.getLogger(klass.getName());
        return new Log() {
            @Override
            public boolean isDebugEnabled() {
                return logger.isLoggable(Level.TRACE);
            }

            @Override
            public void debug(String message) {
                logger.log(Level.TRACE, message);
            }

            @Override
            public void info(String message) {
                logger.log(Level.DEBUG, message);
            }

            @Override
            public void warn(String message) {
                logger.log(Level.WARNING, message);
            }

            @Override
            public void error(String message) {
                logger.log(Level.ERROR, message);
            }

            @Override
            public void error(String message, Exception e) {
                logger.log(Level.ERROR, message, e);
            }

            @Override
            public void notice(String message) {
                logger.log(Level.DEBUG, message);
            }
        };
    }
}
