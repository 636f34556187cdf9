package dev.tally.spring.boot;

import dev.tally.adapter.http.ServerSettings;
import dev.tally.adapter.http.TallyServer;
import dev.tally.adapter.jdbc.JdbcStorage;
import dev.tally.adapter.micrometer.MicrometerUseCaseMetrics;
import dev.tally.application.Tally;
import dev.tally.application.event.EventListener;
import dev.tally.application.memory.InMemoryStorage;
import dev.tally.application.port.TallyStorage;
import dev.tally.application.port.UseCaseMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Tally in a Spring Boot application (R96): a {@link Tally} bean over the application's
 * {@link DataSource} (its tables in the schema {@code tally.jdbc.schema}, migrated or validated at
 * start-up by {@code tally.jdbc.migrations}), or in memory when the application has no
 * {@code DataSource}. The application's {@link Clock}, {@link UseCaseMetrics} and
 * {@link EventListener} beans are used when it defines them; with a Micrometer
 * {@link MeterRegistry}, Tally's decisions are metered there. Each bean backs off when the
 * application defines its own; a {@code Tally} bean of the application's own turns the storage off.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration"})
@EnableConfigurationProperties(TallyProperties.class)
@Import({TallyAutoConfiguration.JdbcStorageConfiguration.class, TallyAutoConfiguration.InMemoryStorageConfiguration.class,
        TallyAutoConfiguration.MicrometerConfiguration.class, TallyAutoConfiguration.HttpConfiguration.class,
        TallyHealthConfiguration.class})
public class TallyAutoConfiguration {

    /** Tally over the storage, with the application's clock, metrics and event listeners. */
    @Bean
    @ConditionalOnMissingBean
    public Tally tally(TallyStorage storage, ObjectProvider<Clock> clock, ObjectProvider<UseCaseMetrics> metrics,
                       ObjectProvider<EventListener> listeners) {
        Tally tally = Tally.create(storage, clock.getIfUnique(Clock::systemUTC), Tally.Settings.DEFAULTS,
                metrics.getIfUnique(() -> UseCaseMetrics.NONE));
        listeners.orderedStream().forEach(tally.events()::listen);
        return tally;
    }

    /** Tally's tables in the application's one {@code DataSource}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnSingleCandidate(DataSource.class)
    @ConditionalOnMissingBean({Tally.class, TallyStorage.class})
    public static class JdbcStorageConfiguration {

        /** The storage, opened (migrated or validated) at start-up; the pool stays the application's. */
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        public JdbcStorage tallyJdbcStorage(DataSource dataSource, TallyProperties properties) {
            return TallyJdbc.open(dataSource, properties.getJdbc());
        }

        /** Every port of that storage. */
        @Bean
        @ConditionalOnMissingBean
        public TallyStorage tallyStorage(JdbcStorage storage) {
            return storage.ports();
        }
    }

    /** Without a {@code DataSource}: fresh storage in memory, gone when the application stops. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean({Tally.class, TallyStorage.class, DataSource.class})
    public static class InMemoryStorageConfiguration {

        /** Storage in memory, for one process. */
        @Bean
        public TallyStorage tallyStorage() {
            return InMemoryStorage.create();
        }
    }

    /** Tally's decisions in the application's {@link MeterRegistry}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({MeterRegistry.class, MicrometerUseCaseMetrics.class})
    @ConditionalOnBean(MeterRegistry.class)
    public static class MicrometerConfiguration {

        /** {@code tally.use.case} and {@code tally.use.case.denials} in the registry. */
        @Bean
        @ConditionalOnMissingBean
        public UseCaseMetrics tallyUseCaseMetrics(MeterRegistry registry) {
            return new MicrometerUseCaseMetrics(registry);
        }
    }

    /** Tally's HTTP API on {@code tally.http.port}, when {@code tally.http.enabled}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(TallyServer.class)
    @ConditionalOnProperty(prefix = "tally.http", name = "enabled", havingValue = "true")
    public static class HttpConfiguration {

        /** The server, listening once the bean exists, stopped with the application. */
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        public TallyServer tallyServer(Tally tally, TallyProperties properties) {
            return TallyServer.start(tally, ServerSettings.onPort(properties.getHttp().getPort()));
        }
    }
}
