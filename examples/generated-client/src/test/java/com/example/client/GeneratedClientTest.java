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
import com.example.client.model.CreditUsage;
import com.example.client.model.LimitExceeded;
import com.example.client.model.Operation;
import com.example.client.model.PlanInput;
import com.example.client.model.PlanInputLimitsValue;
import com.example.client.model.Run;
import com.example.client.model.RunCompletion;
import com.example.client.model.RunStart;
import com.example.client.model.UserInput;
import dev.tally.adapter.http.ServerSettings;
import dev.tally.adapter.http.TallyServer;
import dev.tally.application.Tally;
import java.math.BigDecimal;
import java.time.Clock;
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
