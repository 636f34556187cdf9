package com.example.shop;

import dev.tally.application.Tally;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A shop whose exports and orders are metered by Tally, in process, over the shop's own database. */
@SpringBootApplication
public class ShopApplication {

    static final MetricKey EXPORTS = new MetricKey("exports");
    static final MetricKey ORDERS = new MetricKey("orders");
    static final PlanId FREE = new PlanId("free");

    public static void main(String[] args) {
        SpringApplication.run(ShopApplication.class, args);
    }

    /** The free plan: three exports and two orders a month. */
    static void putPlans(Tally tally) {
        tally.plans().put(Plan.of(FREE, "Free", new PlanLimits(Map.of(EXPORTS, Limit.of(3), ORDERS, Limit.of(2)))));
    }
}
