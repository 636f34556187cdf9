package com.example.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.example.client.api.CreditsApi;
import com.example.client.api.PlansApi;
import com.example.client.api.ReportRunsApi;
import com.example.client.api.UsersApi;
import com.example.client.model.CreditAmount;
import com.example.client.model.CreditRefund;
import com.example.client.model.CreditSpend;
import com.example.client.model.CreditTransaction;
import com.example.client.model.CreditTransactionList;
import com.example.client.model.Event;
import com.example.client.model.EventList;
import com.example.client.model.CreditUsage;
import com.example.client.model.LimitExceeded;
import com.example.client.model.Operation;
import com.example.client.model.PlanInput;
import com.example.client.model.Plan;
import com.example.client.model.PlanInputLimitsValue;
import com.example.client.model.PlanList;
import com.example.client.model.Run;
import com.example.client.model.RunCompletion;
import com.example.client.model.RunList;
import com.example.client.model.RunStart;
import com.example.client.model.UserInput;
import com.example.client.model.UserList;
import com.example.client.model.UserStanding;
import com.example.client.api.EventsApi;
import dev.tally.adapter.http.ServerSettings;
import dev.tally.adapter.http.TallyServer;
import dev.tally.application.Tally;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The generated client against the real server on port 0 (in-memory storage): seed scenarios
 * through nothing but the generated methods and models.
 */
class GeneratedClientTest {

    private TallyServer server;
    private ApiClient client;

    @BeforeEach
    void start() {
        Tally tally = Tally.inMemory(Clock.systemUTC());
        String adminKey = tally.access().createAdminKey();
        server = TallyServer.start(tally, ServerSettings.onPort(0));
        client = new ApiClient();
        client.updateBaseUri("http://127.0.0.1:" + server.port());
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + adminKey));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void R12_the_sixth_run_on_a_plan_of_five_is_refused_with_its_403_body() throws Exception {
        new PlansApi(client).putPlan("free", new PlanInput().name("Free")
                .putLimitsItem("runs", new PlanInputLimitsValue(BigDecimal.valueOf(5))));
        new UsersApi(client).putUser("globex", new UserInput().planId("free"));
        ReportRunsApi runs = new ReportRunsApi(client);
        for (int i = 0; i < 5; i++) {
            Run run = runs.startReportRun("globex", "start-" + i, new RunStart());
            runs.completeReportRun("globex", run.getId(), new RunCompletion().status(RunCompletion.StatusEnum.SUCCEEDED),
                    "complete-" + i);
        }

        ApiException refused = assertThrows(ApiException.class, () -> runs.startReportRun("globex", "start-5", new RunStart()));

        assertEquals(403, refused.getCode());
        LimitExceeded body = client.getObjectMapper().readValue(refused.getResponseBody(), LimitExceeded.class);
        assertEquals("runs_limit_exceeded", body.getError());
        assertEquals("runs", body.getMetric());
        assertEquals("free", body.getPlan());
        assertEquals(0, body.getCurrentUsage().compareTo(BigDecimal.valueOf(5)));
        assertEquals(0, body.getLimit().compareTo(BigDecimal.valueOf(5)));
        assertEquals(0, body.getRequested().compareTo(BigDecimal.ONE));
        assertNotNull(body.getResetsAt());
    }

    /** One page of a list: the page after {@code cursor}, or the first when it is null. */
    @FunctionalInterface
    interface PageRequest<P> {
        P page(String cursor) throws ApiException;
    }

    /** How to read a page of one list: every list has {@code data}, {@code has_more} and {@code next_cursor}. */
    record Shape<P, T>(Function<P, List<T>> data, Function<P, Boolean> hasMore, Function<P, String> nextCursor) {
    }

    /** The one pagination helper: every item of a list, following {@code next_cursor} while {@code has_more}. */
    static <P, T> List<T> all(PageRequest<P> request, Shape<P, T> shape) throws ApiException {
        List<T> items = new ArrayList<>();
        String cursor = null;
        do {
            P page = request.page(cursor);
            items.addAll(shape.data().apply(page));
            cursor = Boolean.TRUE.equals(shape.hasMore().apply(page)) ? shape.nextCursor().apply(page) : null;
        } while (cursor != null);
        return items;
    }

    private static final Shape<RunList, Run> RUNS = new Shape<>(RunList::getData, RunList::getHasMore,
            RunList::getNextCursor);
    private static final Shape<CreditTransactionList, CreditTransaction> LEDGER = new Shape<>(
            CreditTransactionList::getData, CreditTransactionList::getHasMore, CreditTransactionList::getNextCursor);
    private static final Shape<PlanList, Plan> PLANS = new Shape<>(PlanList::getData, PlanList::getHasMore,
            PlanList::getNextCursor);
    private static final Shape<UserList, UserStanding> USERS = new Shape<>(UserList::getData, UserList::getHasMore,
            UserList::getNextCursor);
    private static final Shape<EventList, Event> EVENTS = new Shape<>(EventList::getData, EventList::getHasMore,
            EventList::getNextCursor);

    @Test
    void every_list_is_read_to_its_end_by_one_helper_two_items_a_page() throws Exception {
        PlansApi plans = new PlansApi(client);
        plans.putPlan("free", new PlanInput().name("Free").putLimitsItem("runs", new PlanInputLimitsValue(BigDecimal.valueOf(5))));
        plans.putPlan("pro", new PlanInput().name("Pro"));
        plans.putPlan("team", new PlanInput().name("Team"));
        UsersApi users = new UsersApi(client);
        users.putUser("acme", new UserInput().planId("free"));
        users.putUser("globex", new UserInput().planId("pro"));
        users.putUser("initech", new UserInput().planId("pro"));
        ReportRunsApi runs = new ReportRunsApi(client);
        for (int i = 0; i < 5; i++) {
            Run run = runs.startReportRun("acme", "run-" + i, new RunStart());
            runs.completeReportRun("acme", run.getId(), new RunCompletion().status(RunCompletion.StatusEnum.SUCCEEDED),
                    "done-" + i);
        }
        CreditsApi credits = new CreditsApi(client);
        for (int i = 0; i < 3; i++) {
            credits.purchaseCredits("acme", "buy-" + i, new CreditAmount().amount(10L + i));
        }

        List<Run> allRuns = all(cursor -> runs.listReportRuns("acme", 2, null, cursor), RUNS);
        List<CreditTransaction> ledger = all(cursor -> credits.listCreditTransactions("acme", 2, null, cursor), LEDGER);
        List<Plan> allPlans = all(cursor -> plans.listPlans(2, cursor), PLANS);
        List<UserStanding> standings = all(cursor -> users.listUsers(null, 2, cursor), USERS);
        List<Event> events = all(cursor -> new EventsApi(client).listEvents("acme", "run.completed", 2, cursor, "desc"),
                EVENTS);

        assertEquals(5, allRuns.size());
        assertEquals(5, new HashSet<>(allRuns.stream().map(Run::getId).toList()).size());
        assertEquals(List.of(12L, 11L, 10L), ledger.stream().map(CreditTransaction::getAmount).toList());
        assertEquals(List.of("free", "pro", "team"), allPlans.stream().map(Plan::getId).toList());
        assertEquals(3, standings.size());
        // Each completed run is an event, read newest first to the oldest.
        assertEquals(allRuns.stream().map(Run::getId).toList(), events.stream()
                .map(e -> String.valueOf(((java.util.Map<?, ?>) e.getData()).get("run_id"))).toList());
    }

    @Test
    void R33_seven_spent_five_refunded_is_net_two() throws Exception {
        new PlansApi(client).putPlan("free", new PlanInput().name("Free"));
        new UsersApi(client).putUser("acme", new UserInput().planId("free"));
        CreditsApi credits = new CreditsApi(client);
        credits.purchaseCredits("acme", "purchase-1", new CreditAmount().amount(10L));
        CreditTransaction spent = credits.spendCredits("acme", "spend-1",
                new CreditSpend().amount(7L).operation("export"));
        credits.refundCredits("acme", "refund-1", new CreditRefund().usageTransactionId(spent.getId()).amount(5L));

        CreditUsage usage = credits.getCreditUsageByOperation("acme", null, null);

        Operation export = usage.getOperations().get(0);
        assertEquals("export", export.getOperation());
        assertEquals(7L, export.getGross());
        assertEquals(5L, export.getRefunded());
        assertEquals(2L, export.getNet());
        assertEquals(2L, usage.getTotal().getNet());
        assertEquals(8L, credits.getCreditBalance("acme").getBalance());
    }
}
