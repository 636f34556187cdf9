package com.example.shop;

import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The shop on the PostgreSQL database of {@code -Djdbc.url=...}; skipped without one. */
@EnabledIf("com.example.shop.PostgresShopTest#configured")
class PostgresShopTest extends ShopTest {

    static boolean configured() {
        String url = System.getProperty("jdbc.url");
        return url != null && url.startsWith("jdbc:postgresql:");
    }

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry properties) {
        properties.add("spring.datasource.url", () -> System.getProperty("jdbc.url"));
        properties.add("tally.jdbc.schema", () -> "tally_spring_example");
    }
}
