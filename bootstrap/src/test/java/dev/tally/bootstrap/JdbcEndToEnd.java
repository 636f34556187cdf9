package dev.tally.bootstrap;

import dev.tally.adapter.http.AccessScenarios;
import dev.tally.adapter.http.AllocationScenarios;
import dev.tally.adapter.http.ApiContractScenarios;
import dev.tally.adapter.http.BoundedInputScenarios;
import dev.tally.adapter.http.CreditGrantScenarios;
import dev.tally.adapter.http.EntitlementScenarios;
import dev.tally.adapter.http.MeterScenarios;
import dev.tally.adapter.http.PlanTermsScenarios;
import dev.tally.adapter.http.RateLimitScenarios;
import dev.tally.adapter.http.EventScenarios;
import dev.tally.adapter.http.MalformedRequestScenarios;
import dev.tally.adapter.http.ReservationScenarios;
import dev.tally.adapter.http.SeedScenarios;
import dev.tally.adapter.http.StorageFixture;
import dev.tally.adapter.http.TenantBoundScenarios;
import dev.tally.adapter.http.UsageOverTimeScenarios;
import dev.tally.adapter.http.WebhookScenarios;
import org.junit.jupiter.api.Nested;

/**
 * The HTTP end-to-end suites of the API module, run against the real server over JDBC storage;
 * each test gets a database of its own from {@link #database()}.
 */
abstract class JdbcEndToEnd {

    /** A fresh database for one test. */
    abstract JdbcFixture database();

    @Nested
    class Seed extends SeedScenarios {
        @Override
        protected StorageFixture storage() {
            return database();
        }
    }

    @Nested
    class Contract extends ApiContractScenarios {
        @Override
        protected StorageFixture storage() {
            return database();
        }
    }

    @Nested
    class Access extends AccessScenarios {
        @Override
        protected StorageFixture storage() {
            return database();
        }
    }

    @Nested
    class Malformed extends MalformedRequestScenarios {
        @Override
        protected StorageFixture storage() {
            return database();
        }
    }

    @Nested
    class Bounded extends BoundedInputScenarios {
        @Override
        protected StorageFixture storage() {
            return database();
        }
    }

    @Nested
    class Events extends EventScenarios {
        @Override
        protected StorageFixture storage() {
            return database();
        }
    }

    @Nested
    class Webhooks extends WebhookScenarios {
        @Override
        protected StorageFixture storage() {
            return database();
        }
    }

    @Nested
    class OverTime extends UsageOverTimeScenarios {
        @Override
        protected StorageFixture storage() {
            return database();
        }
    }

    @Nested
    class Meters extends MeterScenarios {
        @Override
        protected StorageFixture storage() {
            return database();
        }
    }

    @Nested
    class CreditGrants extends CreditGrantScenarios {
        @Override
        protected StorageFixture storage() {
            return database();
        }
    }

    @Nested
    class Entitlements extends EntitlementScenarios {
        @Override
        protected StorageFixture storage() {
            return database();
        }
    }

    @Nested
    class PlanTerms extends PlanTermsScenarios {
        @Override
        protected StorageFixture storage() {
            return database();
        }
    }

    @Nested
    class RateLimits extends RateLimitScenarios {
        @Override
        protected StorageFixture storage() {
            return database();
        }
    }

    @Nested
    class Allocations extends AllocationScenarios {
        @Override
        protected StorageFixture storage() {
            return database();
        }
    }

    @Nested
    class Reservations extends ReservationScenarios {
        @Override
        protected StorageFixture storage() {
            return database();
        }
    }

    @Nested
    class TenantBounds extends TenantBoundScenarios {
        @Override
        protected StorageFixture storage() {
            return database();
        }
    }
}
