package dev.tally.spring.boot;

import dev.tally.adapter.jdbc.JdbcStorage;
import dev.tally.application.Tally;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Tally's part of {@code /actuator/health}, when the application has Spring Boot's health support. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(HealthIndicator.class)
public class TallyHealthConfiguration {

    /** Storage reachable, migrations current, the webhook backlog. */
    @Bean
    @ConditionalOnMissingBean(name = "tallyHealthIndicator")
    public TallyHealthIndicator tallyHealthIndicator(Tally tally, ObjectProvider<JdbcStorage> jdbc,
                                                     TallyProperties properties) {
        return new TallyHealthIndicator(tally, jdbc.getIfUnique(), properties.getJdbc().getSchema());
    }
}
