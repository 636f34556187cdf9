package dev.tally.adapter.jdbc;

import dev.tally.application.port.ActivationCodeRepository;
import dev.tally.application.port.AllocationRepository;
import dev.tally.application.port.ApiCallRepository;
import dev.tally.application.port.ApiKeyRepository;
import dev.tally.application.port.CreditTransactionRepository;
import dev.tally.application.port.IdempotencyStore;
import dev.tally.application.port.ModelPriceRepository;
import dev.tally.application.port.PlanRepository;
import dev.tally.application.port.ReportRunRepository;
import dev.tally.application.port.SessionRepository;
import dev.tally.application.port.TallyStorage;
import dev.tally.application.port.UsageLedger;
import dev.tally.application.port.UserRepository;
import dev.tally.application.port.contract.ActivationCodeRepositoryContract;
import dev.tally.application.port.contract.AllocationContract;
import dev.tally.application.port.contract.AuditLogContract;
import dev.tally.application.port.contract.AllocationRepositoryContract;
import dev.tally.application.port.contract.ApiCallRepositoryContract;
import dev.tally.application.port.contract.ApiKeyRepositoryContract;
import dev.tally.application.port.contract.CreditGrantContract;
import dev.tally.application.port.contract.CreditPricedUsageContract;
import dev.tally.application.port.contract.CreditTransactionRepositoryContract;
import dev.tally.application.port.contract.EventsContract;
import dev.tally.application.port.contract.EntitlementContract;
import dev.tally.application.port.contract.HoldLedgerContract;
import dev.tally.application.port.contract.IdempotencyStoreContract;
import dev.tally.application.port.contract.MeterContract;
import dev.tally.application.port.contract.MetricBoundContract;
import dev.tally.application.port.contract.ModelPriceRepositoryContract;
import dev.tally.application.port.contract.PlanRepositoryContract;
import dev.tally.application.port.contract.PlanTermsContract;
import dev.tally.application.port.contract.RateLimitContract;
import dev.tally.application.port.contract.ReservationContract;
import dev.tally.application.port.contract.ReportRunRepositoryContract;
import dev.tally.application.port.contract.SessionRepositoryContract;
import dev.tally.application.port.contract.UsageLedgerContract;
import dev.tally.application.port.contract.UseCaseRetryContract;
import dev.tally.application.port.contract.VoidsContract;
import dev.tally.application.port.contract.UserRepositoryContract;
import dev.tally.application.port.contract.WebhooksContract;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import org.junit.jupiter.api.Nested;

/**
 * Every port contract, and the storage behaviour beyond them, against one database that the
 * concrete subclass provides (each nested suite shares it; tests use users of their own).
 */
abstract class PortContracts {

    /** The database of the concrete test class. */
    abstract TestDatabase database();

    /** A second API node's storage over the same database. */
    TallyStorage anotherNode() {
        return database().sharedOtherNode();
    }

    @Nested
    class UsageLedgerTest extends UsageLedgerContract {

        @Override
        protected UsageLedger ledger() {
            return database().storage().ports().usage();
        }

        @Override
        protected void corruptRollup(UserId user, MetricKey metric, BillingPeriod period, BigDecimal used) {
            database().corruptRollup(user, metric, period, used);
        }
    }

    @Nested
    class MeterTest extends MeterContract {

        @Override
        protected UsageLedger ledger() {
            return database().storage().ports().usage();
        }

        @Override
        protected UsageLedger otherNode() {
            return anotherNode().usage();
        }
    }

    @Nested
    class MetricBoundTest extends MetricBoundContract {

        @Override
        protected UsageLedger ledger() {
            return database().storage().ports().usage();
        }

        @Override
        protected UsageLedger otherNode() {
            return anotherNode().usage();
        }
    }

    @Nested
    class IdempotencyStoreTest extends IdempotencyStoreContract {

        @Override
        protected IdempotencyStore store() {
            return database().storage().ports().idempotency();
        }
    }

    @Nested
    class CreditTransactionRepositoryTest extends CreditTransactionRepositoryContract {

        @Override
        protected CreditTransactionRepository credits() {
            return database().storage().ports().credits();
        }
    }

    @Nested
    class CreditGrantTest extends CreditGrantContract {

        @Override
        protected CreditTransactionRepository credits() {
            return database().storage().ports().credits();
        }

        @Override
        protected CreditTransactionRepository otherNode() {
            return anotherNode().credits();
        }
    }

    @Nested
    class ReportRunRepositoryTest extends ReportRunRepositoryContract {

        @Override
        protected ReportRunRepository runs() {
            return database().storage().ports().runs();
        }
    }

    @Nested
    class SessionRepositoryTest extends SessionRepositoryContract {

        @Override
        protected SessionRepository sessions() {
            return database().storage().ports().sessions();
        }
    }

    @Nested
    class ActivationCodeRepositoryTest extends ActivationCodeRepositoryContract {

        @Override
        protected ActivationCodeRepository codes() {
            return database().storage().ports().activationCodes();
        }
    }

    @Nested
    class PlanRepositoryTest extends PlanRepositoryContract {

        @Override
        protected PlanRepository plans() {
            return database().storage().ports().plans();
        }
    }

    @Nested
    class UserRepositoryTest extends UserRepositoryContract {

        @Override
        protected UserRepository users() {
            return database().storage().ports().users();
        }

        @Override
        protected PlanRepository plans() {
            return database().storage().ports().plans();
        }
    }

    @Nested
    class ModelPriceRepositoryTest extends ModelPriceRepositoryContract {

        @Override
        protected ModelPriceRepository prices() {
            return database().storage().ports().modelPrices();
        }
    }

    @Nested
    class ApiCallRepositoryTest extends ApiCallRepositoryContract {

        @Override
        protected ApiCallRepository calls() {
            return database().storage().ports().apiCalls();
        }
    }

    @Nested
    class ApiKeyRepositoryTest extends ApiKeyRepositoryContract {

        @Override
        protected ApiKeyRepository keys() {
            return database().storage().ports().apiKeys();
        }
    }

    @Nested
    class UseCaseRetryTest extends UseCaseRetryContract {

        @Override
        protected TallyStorage storage() {
            return database().storage().ports();
        }
    }

    @Nested
    class AllocationRepositoryTest extends AllocationRepositoryContract {

        @Override
        protected AllocationRepository allocations() {
            return database().storage().ports().allocations();
        }
    }

    @Nested
    class PlanTermsTest extends PlanTermsContract {

        @Override
        protected TallyStorage storage() {
            return database().storage().ports();
        }
    }

    @Nested
    class AllocationTest extends AllocationContract {

        @Override
        protected TallyStorage storage() {
            return database().storage().ports();
        }
    }

    @Nested
    class HoldLedgerTest extends HoldLedgerContract {

        @Override
        protected UsageLedger ledger() {
            return database().storage().ports().usage();
        }
    }

    @Nested
    class ReservationTest extends ReservationContract {

        @Override
        protected TallyStorage storage() {
            return database().storage().ports();
        }
    }

    @Nested
    class EntitlementTest extends EntitlementContract {

        @Override
        protected TallyStorage storage() {
            return database().storage().ports();
        }
    }

    @Nested
    class VoidsTest extends VoidsContract {

        @Override
        protected UsageLedger ledger() {
            return database().storage().ports().usage();
        }
    }

    @Nested
    class AuditLogTest extends AuditLogContract {

        @Override
        protected TallyStorage storage() {
            return database().storage().ports();
        }
    }

    @Nested
    class RateLimitTest extends RateLimitContract {

        @Override
        protected TallyStorage storage() {
            return database().storage().ports();
        }
    }

    @Nested
    class CreditPricedUsageTest extends CreditPricedUsageContract {

        @Override
        protected TallyStorage storage() {
            return database().storage().ports();
        }

        @Override
        protected TallyStorage otherNode() {
            return PortContracts.this.anotherNode();
        }
    }

    @Nested
    class EventsTest extends EventsContract {

        @Override
        protected TallyStorage storage() {
            return database().storage().ports();
        }

        @Override
        protected TallyStorage anotherNode() {
            return PortContracts.this.anotherNode();
        }
    }

    @Nested
    class WebhooksTest extends WebhooksContract {

        @Override
        protected TallyStorage storage() {
            return database().storage().ports();
        }

        @Override
        protected TallyStorage anotherNode() {
            return PortContracts.this.anotherNode();
        }
    }

    @Nested
    class StorageBehaviourTest extends JdbcStorageBehaviour {

        @Override
        TestDatabase database() {
            return PortContracts.this.database();
        }
    }

    @Nested
    class GroupCommitTest extends GroupCommitBehaviour {

        @Override
        TestDatabase database() {
            return PortContracts.this.database();
        }
    }

    @Nested
    class GroupedAppendsTest extends GroupedAppendsBehaviour {

        @Override
        TestDatabase database() {
            return PortContracts.this.database();
        }
    }

    @Nested
    class AccountCatalogTest extends AccountCatalogBehaviour {

        @Override
        TestDatabase database() {
            return PortContracts.this.database();
        }
    }
}
