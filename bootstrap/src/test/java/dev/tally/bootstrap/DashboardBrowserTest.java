package dev.tally.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.tally.adapter.http.ApiClient;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The customer's page and the operator's console in a real browser (Debian's headless Chromium,
 * driven by Selenium) against the real server on port 0 with the demo data: every figure the
 * page shows is the API's (R15, R50, R52, R53), the console is the operator's only (R62), the
 * page runs under its strict policy and no other origin can frame it (R68), the browser logs no
 * error, and axe-core finds no serious or critical accessibility violation.
 * Screenshots of both pages at 1280 and 360 px wide are written to {@code target/screenshots}.
 *
 * <p>Without {@code chromium} and {@code chromedriver} the test is skipped with a message, except
 * under CI, whose script installs them.
 */
class DashboardBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static TallyApp app;
    private static String base;
    private static String adminKey;
    private static DemoCommand.Keys keys;
    private static ChromeDriver browser;
    private static Path profile;

    @BeforeAll
    static void start() throws IOException {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && System.getenv("CI") == null) {
            System.out.println("SKIPPED DashboardBrowserTest: install chromium and chromium-driver "
                    + "(apt-get install -y chromium chromium-driver) to run the browser tests; .ci/run does.");
        }
        Assumptions.assumeTrue(present || System.getenv("CI") != null, "chromium and chromedriver are not installed");
        app = TallyApp.open(OpenStorage.MEMORY, Clock.systemUTC());
        adminKey = app.ensureAdminKey(Optional.empty()).orElseThrow();
        keys = DemoCommand.load(app);
        base = "http://127.0.0.1:" + app.serve(0) + "/";
        profile = Files.createTempDirectory("tally-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--lang=en-US", "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (app != null) {
            app.close();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @BeforeEach
    void freshTab() {
        browser.manage().window().setSize(new Dimension(1280, 900));
        browser.get(base);
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        consoleErrors();
    }

    @Test
    void R35_R36_R37_the_customers_page_lists_the_live_grants_in_spending_order_and_what_expires_next() {
        JsonNode grants = new ApiClient(port(), keys.acme()).get("/v1/users/acme/billing").json().get("credits")
                .get("grants");
        assertThat(grants.size()).as("the demo's promotion, monthly allowance and pack").isGreaterThanOrEqualTo(3);
        assertThat(grants.get(0).get("priority").asInt()).as("the promotion is spent first").isZero();
        assertThat(grants.get(0).get("expires_at").isNull()).isFalse();

        openUserPage(keys.acme(), "acme");

        List<WebElement> rows = browser.findElements(By.cssSelector("#credit-grants tbody tr"));
        assertThat(rows).hasSize(grants.size());
        for (int i = 0; i < rows.size(); i++) {
            List<WebElement> cells = rows.get(i).findElements(By.tagName("td"));
            JsonNode grant = grants.get(i);
            assertThat(cells.get(0).getText()).isEqualTo(grant.get("type").asText());
            assertThat(cells.get(1).findElement(By.tagName("span")).getAttribute("data-value"))
                    .isEqualTo(grant.get("remaining").asText());
            assertThat(cells.get(2).findElement(By.tagName("span")).getAttribute("data-value"))
                    .isEqualTo(grant.get("amount").asText());
            assertThat(cells.get(3).getText()).isEqualTo(grant.get("priority").asText());
            if (grant.get("expires_at").isNull()) {
                assertThat(cells.get(4).getText()).isEqualTo("never");
            } else {
                assertThat(cells.get(4).getText()).isNotEqualTo("never").isNotBlank();
            }
        }
        JsonNode soonest = null;
        for (JsonNode grant : grants) {
            if (!grant.get("expires_at").isNull() && (soonest == null || java.time.Instant.parse(grant.get("expires_at")
                    .asText()).isBefore(java.time.Instant.parse(soonest.get("expires_at").asText())))) {
                soonest = grant;
            }
        }
        assertThat(browser.findElement(By.cssSelector("#next-expiry span")).getAttribute("data-value"))
                .isEqualTo(soonest.get("remaining").asText());
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void R15_R50_each_bar_is_the_servers_percent_and_each_row_the_servers_figures() {
        JsonNode billing = new ApiClient(port(), keys.acme()).get("/v1/users/acme/billing").json();

        openUserPage(keys.acme(), "acme");

        assertMeterRows("usage-title", billing.get("metrics"), "used", displayNames("pro"));
        assertThat(browser.findElement(By.id("resets")).getText()).matches("Resets in \\d+ days?, on .*");
        assertThat(browser.findElement(By.id("balance")).getAttribute("data-value"))
                .isEqualTo(billing.get("credits").get("balance").asText());
        // Numbers and money in the viewer's locale (the browser runs in en-US): grouped, with a currency.
        assertThat(browser.findElement(By.id("balance")).getText())
                .isEqualTo(String.format(java.util.Locale.US, "%,d", billing.get("credits").get("balance").asLong()));
        List<WebElement> summary = browser.findElements(By.cssSelector("#runs .summary .big"));
        assertThat(summary.get(2).getText()).isEqualTo(String.format(java.util.Locale.US, "%,d",
                billing.get("runs").get("total_tokens").asLong()));
        assertThat(summary.get(3).getText()).startsWith("$");
        assertThat(summary.get(0).findElement(By.xpath("..")).getText())
                .endsWith("succeeded of limit " + billing.get("runs").get("limit").asText());
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void R72_each_allocation_bar_is_the_servers_percent_and_each_row_the_servers_figures() {
        JsonNode billing = new ApiClient(port(), keys.acme()).get("/v1/users/acme/billing").json();
        assertThat(billing.get("allocations")).extracting(a -> a.get("metric").asText())
                .as("the demo allocates seats").containsExactly("seats");

        openUserPage(keys.acme(), "acme");

        assertMeterRows("allocations-title", billing.get("allocations"), "value", displayNames("pro"));
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void R75_R76_the_console_shows_the_newest_events_and_each_webhook_endpoint_with_its_deliveries() {
        ApiClient admin = new ApiClient(port(), adminKey);
        List<JsonNode> events = new ArrayList<>();
        String cursor = "";
        do {
            JsonNode page = admin.get("/v1/events?limit=100" + (cursor.isEmpty() ? "" : "&cursor=" + cursor)).json();
            page.get("events").forEach(events::add);
            cursor = page.get("next_cursor").isNull() ? "" : page.get("next_cursor").asText();
        } while (!cursor.isEmpty());
        assertThat(events).as("the demo's writes create events").isNotEmpty();
        JsonNode endpoints = admin.get("/v1/webhook-endpoints").json().get("endpoints");

        signIn(adminKey, "", "console");
        wait(By.cssSelector("#events table"));

        List<WebElement> rows = browser.findElements(By.cssSelector("#events tbody tr"));
        assertThat(rows).hasSize(Math.min(20, events.size()));
        int thresholds = 0;
        for (int i = 0; i < rows.size(); i++) {
            JsonNode event = events.get(events.size() - 1 - i);
            List<WebElement> cells = rows.get(i).findElements(By.tagName("td"));
            assertThat(cells.get(1).getText()).as("newest first").isEqualTo(event.get("type").asText());
            assertThat(cells.get(2).getText()).isEqualTo(event.get("user_id").asText());
            if ("usage.threshold_reached".equals(event.get("type").asText())) {
                JsonNode data = event.get("data");
                String plan = admin.get("/v1/users/" + event.get("user_id").asText() + "/billing").json().get("plan")
                        .get("id").asText();
                String metric = displayNames(plan).get(data.get("metric").asText()).asText();
                thresholds++;
                assertThat(cells.get(3).getText()).as("by its display name").isEqualTo(metric + " reached "
                        + data.get("threshold_percent").asText() + " % (" + plain(data.get("used")) + " of "
                        + plain(data.get("limit")) + ")");
            }
        }
        assertThat(thresholds).as("the newest events tell a threshold reached").isPositive();

        assertThat(browser.findElements(By.cssSelector("#webhooks .endpoint"))).hasSize(endpoints.size());
        WebElement demo = browser.findElement(By.cssSelector("#webhooks .endpoint[data-endpoint='"
                + DemoCommand.DEMO_ENDPOINT + "']"));
        assertThat(demo.findElement(By.tagName("h3")).getText()).isEqualTo(DemoCommand.DEMO_ENDPOINT + " — disabled");
        JsonNode demoEndpoint = null;
        for (JsonNode endpoint : endpoints) {
            demoEndpoint = DemoCommand.DEMO_ENDPOINT.equals(endpoint.get("id").asText()) ? endpoint : demoEndpoint;
        }
        assertThat(demoEndpoint).as("the demo's endpoint").isNotNull();
        assertThat(demo.findElement(By.className("url")).getText()).startsWith(demoEndpoint.get("url").asText());
        JsonNode deliveries = admin.get("/v1/webhook-endpoints/" + DemoCommand.DEMO_ENDPOINT + "/deliveries").json()
                .get("deliveries");
        assertThat(demo.findElements(By.cssSelector("tbody tr"))).hasSize(Math.min(10, deliveries.size()));
        if (deliveries.isEmpty()) {
            assertThat(demo.getText()).contains("No delivery attempts yet.");
        }
        assertThat(widthAt360()).as("no sideways scrolling of the console at 360 px").isLessThanOrEqualTo(360);
        assertThat(axeViolations()).isEmpty();
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void R52_each_limited_metrics_chart_ends_at_its_used_figure() {
        JsonNode billing = new ApiClient(port(), keys.acme()).get("/v1/users/acme/billing").json();

        openUserPage(keys.acme(), "acme");

        List<String> charted = new ArrayList<>();
        for (JsonNode metric : billing.get("metrics")) {
            if (metric.get("limit").isNull()) {
                continue;
            }
            String name = metric.get("metric").asText();
            charted.add(name);
            WebElement chart = browser.findElement(By.cssSelector("svg.chart[data-metric='" + name + "']"));
            WebElement last = chart.findElement(By.className("last-point"));
            assertThat(new BigDecimal(last.getAttribute("data-cumulative"))).as(name)
                    .isEqualByComparingTo(metric.get("used").decimalValue());
            assertThat(chart.findElement(By.className("last-label")).getText()).as(name)
                    .isEqualTo(last.getAttribute("data-cumulative"));
            assertThat(chart.findElements(By.className("limit-line"))).hasSize(1);
        }
        assertThat(charted).contains("runs", "exports");
        assertThat(browser.findElements(By.cssSelector("svg.chart"))).hasSize(charted.size());
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void R53_the_console_lists_globex_exceeded_on_runs_and_links_to_its_page() {
        signIn(adminKey, "", "console");
        wait(By.cssSelector("tr[data-user=globex]"));

        WebElement globex = browser.findElement(By.cssSelector("tr[data-user=globex]"));
        List<WebElement> cells = globex.findElements(By.tagName("td"));
        assertThat(cells.get(2).getText()).isEqualTo("Report runs\nruns");
        assertThat(cells.get(3).getText()).isEqualTo("5 / 5");
        assertThat(cells.get(6).getText()).isEqualTo("exceeded");
        assertThat(browser.findElements(By.cssSelector("#users tr")).get(0).getAttribute("data-user"))
                .as("worst first").isEqualTo("globex");
        screenshots("console");
        assertThat(axeViolations()).isEmpty();

        new Select(browser.findElement(By.id("status-filter"))).selectByValue("exceeded");
        wait(By.cssSelector("tr[data-user=globex]"));
        assertThat(browser.findElements(By.cssSelector("#users .status")))
                .allSatisfy(status -> assertThat(status.getText()).isEqualTo("exceeded"));

        browser.findElement(By.linkText("globex")).click();
        wait(By.id("usage-title"));
        assertThat(browser.findElement(By.id("period-title")).getText()).isEqualTo("globex — plan Free");
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void R64_metrics_are_shown_by_their_plans_display_names_with_the_key_beside_them_at_1280_and_390_pixels() {
        JsonNode names = displayNames("pro");
        assertThat(names.get("runs").asText()).as("the demo names its metrics").isEqualTo("Report runs");
        openUserPage(keys.acme(), "acme");

        for (int width : new int[] {1280, 390}) {
            browser.manage().window().setSize(new Dimension(width, 900));
            WebElement runs = browser.findElement(By.cssSelector(
                    "section[aria-labelledby=usage-title] .metric[data-metric='runs']"));
            assertThat(runs.getText()).as("at " + width + " px").isEqualTo("Report runs\nruns");
            assertThat(runs.getAttribute("title")).isEqualTo("runs");
            assertThat(runs.isDisplayed()).isTrue();
            assertThat(runs.getRect().getX() + runs.getRect().getWidth()).as("inside the window at " + width + " px")
                    .isLessThanOrEqualTo(width);
            assertThat(browser.findElement(By.cssSelector("figcaption[data-metric='runs']")).getText())
                    .startsWith("Report runs — ");
            assertThat(browser.findElement(By.cssSelector("svg.chart[data-metric='runs'] title"))
                    .getAttribute("textContent")).isEqualTo("Cumulative Report runs this period");
            assertThat(browser.findElement(By.cssSelector("section[aria-labelledby=allocations-title] .metric"))
                    .getText()).isEqualTo("Seats\nseats");
            assertThat(axeViolations()).as("axe at " + width + " px").isEmpty();
        }

        browser.manage().window().setSize(new Dimension(1280, 900));
        signIn(adminKey, "", "console");
        wait(By.cssSelector("tr[data-user=globex]"));
        for (int width : new int[] {1280, 390}) {
            browser.manage().window().setSize(new Dimension(width, 900));
            WebElement worst = browser.findElement(By.cssSelector("tr[data-user=globex] .metric"));
            assertThat(worst.getText()).as("at " + width + " px").isEqualTo("Report runs\nruns");
            WebElement limit = browser.findElement(By.xpath(
                    "//section[@aria-labelledby='plans-title']//tr[td[1]='pro']//span[@title='runs']"));
            assertThat(limit.getText()).isEqualTo("Report runs");
            assertThat(limit.findElement(By.xpath("..")).getText()).contains("Report runs 50", "Exports 1,000");
            assertThat(axeViolations()).as("console axe at " + width + " px").isEmpty();
        }
        browser.manage().window().setSize(new Dimension(1280, 900));
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void R4_R50_the_previous_period_is_one_click_away_and_runs_page_through_the_api() {
        JsonNode current = new ApiClient(port(), keys.acme()).get("/v1/users/acme/billing").json();
        openUserPage(keys.acme(), "acme");

        browser.findElement(By.xpath("//button[text()='Older' and ancestor::*[@id='run-list']]")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("run-list"), "runs 11–20"));
        browser.findElement(By.linkText("← Previous period")).click();
        wait(By.cssSelector("#ledger table"));

        String previousStart = browser.getCurrentUrl().replaceAll(".*[?&]at=([^&]+).*", "$1");
        JsonNode previous = new ApiClient(port(), keys.acme()).get("/v1/users/acme/billing?at="
                + previousStart).json();
        assertThat(previous.get("period").get("end").asText()).isEqualTo(current.get("period").get("start").asText());
        assertThat(browser.findElement(By.id("resets")).getText()).startsWith("Ended on");
        assertThat(browser.findElements(By.linkText("Current period"))).hasSize(1);
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void R93_the_console_and_each_users_page_show_the_newest_audit_entries() {
        ApiClient admin = new ApiClient(port(), adminKey);
        for (int i = 0; i < 3; i++) {
            assertThat(admin.send("POST", "/v1/users/acme/credits/grants", "{\"amount\": " + (5 + i) + "}",
                    Map.of("Idempotency-Key", "audit-grant-" + i, "Request-Id", "support-" + i)).status())
                    .isBetween(200, 299);
        }
        assertThat(admin.send("POST", "/v1/users/globex/credits/grants", "{\"amount\": 9}",
                Map.of("Idempotency-Key", "audit-grant-globex")).status()).isBetween(200, 299);
        JsonNode everyone = admin.get("/v1/audit-log?limit=20").json().get("data");
        JsonNode acme = admin.get("/v1/audit-log?limit=20&target=user:acme").json().get("data");

        signIn(adminKey, "", "console");
        assertAuditRows(everyone);
        assertThat(everyone.get(0).get("target").asText()).as("the newest first").isEqualTo("user:globex");

        signIn(adminKey, "acme", "user");
        assertAuditRows(acme);
        assertThat(acme.findValuesAsText("target")).containsOnly("user:acme");
        assertThat(browser.findElement(By.cssSelector("#audit tbody tr")).getText()).contains("credit.grant",
                "support-2", "{\"amount\":7}");

        openUserPage(keys.acme(), "acme");
        assertThat(browser.findElements(By.id("audit"))).as("a user's own key is not shown the operator's log")
                .isEmpty();
        assertThat(consoleErrors()).isEmpty();
    }

    /** The audit card's rows against the API's entries, newest first: action, target, key, request id, summary. */
    private static void assertAuditRows(JsonNode expected) {
        wait(By.cssSelector("#audit table"));
        List<WebElement> rows = browser.findElements(By.cssSelector("#audit tbody tr"));
        assertThat(rows).hasSize(expected.size());
        for (int i = 0; i < rows.size(); i++) {
            List<WebElement> cells = rows.get(i).findElements(By.tagName("td"));
            JsonNode entry = expected.get(i);
            assertThat(cells.get(1).getText()).isEqualTo(entry.get("action").asText());
            assertThat(cells.get(2).getText()).isEqualTo(entry.get("target").asText());
            assertThat(cells.get(3).getText()).isEqualTo(entry.get("actor_key_id").asText());
            assertThat(cells.get(4).getText()).isEqualTo(entry.get("request_id").asText());
            assertThat(cells.get(5).getText()).isEqualTo(entry.get("summary").asText());
        }
        assertThat(axeViolations()).isEmpty();
    }

    @Test
    void R62_a_user_key_cannot_open_the_console() {
        signIn(keys.globex(), "", "console");
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("status"), "needs an admin key"));

        assertThat(browser.findElements(By.id("users"))).isEmpty();
        assertThat(browser.findElement(By.id("status")).getAttribute("class")).isEqualTo("error");
        // The refusal leads to the page the key can open.
        wait(By.id("own-page")).click();
        wait(By.id("usage-title"));
        assertThat(browser.findElement(By.id("period-title")).getText()).startsWith("globex");
    }

    @Test
    void a_user_key_alone_signs_in_to_its_own_page_which_shows_its_tables_as_cards_at_390_pixels() {
        signIn(keys.acme(), "", "user");
        wait(By.cssSelector("#run-list table"));
        assertThat(browser.findElement(By.id("period-title")).getText()).startsWith("acme");

        for (int width : new int[] {1280, 390}) {
            browser.manage().window().setSize(new Dimension(width, 900));
            String display = (String) ((JavascriptExecutor) browser).executeScript(
                    "return getComputedStyle(document.querySelector('#run-list tbody tr')).display");
            assertThat(display).as("a run at " + width + " px").isEqualTo(width == 390 ? "grid" : "table-row");
            Number overflow = (Number) ((JavascriptExecutor) browser).executeScript(
                    "return Math.max(...[...document.querySelectorAll('.scroll')].map(s => s.scrollWidth - s.clientWidth))");
            if (width == 390) {
                assertThat(overflow.intValue()).as("no table scrolls sideways at 390 px").isLessThanOrEqualTo(0);
            }
            assertThat(axeViolations()).as("axe at " + width + " px").isEmpty();
        }
        browser.manage().window().setSize(new Dimension(1280, 900));
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void the_customers_page_is_accessible_and_fits_360_pixels() {
        openUserPage(keys.acme(), "acme");
        screenshots("user");

        assertThat(axeViolations()).isEmpty();
        assertThat(widthAt360()).as("no sideways scrolling of the page at 360 px").isLessThanOrEqualTo(360);
        assertThat(axeViolations()).isEmpty();
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void R68_the_page_runs_under_its_strict_policy_with_no_violation_and_no_other_origin_can_frame_it()
            throws Exception {
        ApiClient.Response page = new ApiClient(port(), null).get("/");
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'none'", "script-src 'sha256-",
                "style-src 'sha256-", "frame-ancestors 'none'").doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");

        openUserPage(keys.acme(), "acme");
        assertThat(browser.findElement(By.cssSelector("header.top")).getCssValue("background-color"))
                .as("the page's own style applies").isEqualTo("rgba(31, 78, 121, 1)");
        signIn(adminKey, "", "console");
        wait(By.id("users"));
        assertThat(consoleErrors()).as("no policy violation, nor any other error").isEmpty();

        // Another origin (another port of this machine) frames the console, as a clickjacking page would.
        HttpServer elsewhere = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] framing = ("<!doctype html><title>elsewhere</title><iframe src=\"" + base + "?view=console\"></iframe>")
                .getBytes(StandardCharsets.UTF_8);
        elsewhere.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, framing.length);
            exchange.getResponseBody().write(framing);
            exchange.close();
        });
        elsewhere.start();
        try {
            browser.get("http://127.0.0.1:" + elsewhere.getAddress().getPort() + "/");
            browser.switchTo().frame(0);
            String framed = "about:blank";
            for (int i = 0; i < 50 && framed.equals("about:blank"); i++) {
                Thread.sleep(100);
                framed = String.valueOf(((JavascriptExecutor) browser).executeScript("return location.href"));
            }
            List<WebElement> console = browser.findElements(By.id("main"));
            browser.switchTo().defaultContent();
            assertThat(framed).as("what the frame shows: the browser's error page, not the console")
                    .startsWith("chrome-error:");
            assertThat(console).isEmpty();
        } finally {
            elsewhere.stop(0);
        }
    }

    // --- helpers ----------------------------------------------------------------------------------

    private static int port() {
        return Integer.parseInt(base.replaceAll(".*:(\\d+)/$", "$1"));
    }

    private static void signIn(String key, String user, String go) {
        browser.get(base);
        wait(By.id("key")).sendKeys(key);
        browser.findElement(By.id("user")).sendKeys(user);
        browser.findElement(By.cssSelector("button[value=" + go + "]")).click();
    }

    private static void openUserPage(String key, String user) {
        signIn(key, user, "user");
        wait(By.cssSelector("#run-list table"));
        wait(By.cssSelector("#ledger table"));
    }

    private static WebElement wait(By what) {
        return new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(ExpectedConditions.presenceOfElementLocated(what));
    }

    /**
     * The rows of the meters table under the heading {@code titleId} against the API's
     * {@code expected} array: name (the plan's display name of the metric over its key, or the key
     * alone), figure ({@code figure} is its field), limit, remaining, the bar's width as the percent,
     * the percent and the status.
     */
    private static void assertMeterRows(String titleId, JsonNode expected, String figure, JsonNode names) {
        List<WebElement> rows = browser.findElements(By.cssSelector("section[aria-labelledby=" + titleId + "] tbody tr"));
        assertThat(rows).hasSize(expected.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonNode metric = expected.get(i);
            String name = metric.get("metric").asText();
            List<WebElement> cells = rows.get(i).findElements(By.tagName("td"));
            assertThat(cells.get(0).findElement(By.className("metric")).getAttribute("data-metric")).isEqualTo(name);
            assertThat(cells.get(0).getText()).isEqualTo(names.has(name) ? names.get(name).asText() + "\n" + name : name);
            assertThat(new BigDecimal(value(cells.get(1)))).as(name).isEqualByComparingTo(metric.get(figure).decimalValue());
            if (metric.get("limit").isNull()) {
                assertThat(cells.get(2).getText()).isEqualTo("unlimited");
                assertThat(cells.get(3).getText()).isEqualTo("—");
            } else {
                assertThat(new BigDecimal(value(cells.get(2)))).as(name)
                        .isEqualByComparingTo(metric.get("limit").decimalValue());
                assertThat(new BigDecimal(value(cells.get(3)))).as(name)
                        .isEqualByComparingTo(metric.get("remaining").decimalValue());
            }
            assertThat(cells.get(6).getText()).isEqualTo(metric.get("status").asText());
            if (!metric.get("percent").isNull()) {
                double percent = metric.get("percent").asDouble();
                assertThat(cells.get(5).getText()).endsWith(" %");
                assertThat(new BigDecimal(cells.get(5).getText().replace(" %", "")))
                        .isEqualByComparingTo(metric.get("percent").decimalValue());
                WebElement track = cells.get(4).findElement(By.className("bar"));
                WebElement fill = track.findElement(By.className("fill"));
                assertThat((double) fill.getRect().getWidth() / track.getRect().getWidth())
                        .as(name).isCloseTo(Math.min(100, percent) / 100, within(0.01));
                assertThat(fill.getAttribute("class")).contains(metric.get("status").asText());
            }
        }
    }

    /** The display names of plan {@code plan}, as the API gives them. */
    private static JsonNode displayNames(String plan) {
        return new ApiClient(port(), adminKey).get("/v1/plans/" + plan).json().get("display_names");
    }

    /** The API's exact value behind a formatted figure. */
    private static String value(WebElement cell) {
        return cell.findElement(By.cssSelector("[data-value]")).getAttribute("data-value");
    }

    /** The page's width once the window is 360 px wide. */
    private static int widthAt360() {
        browser.manage().window().setSize(new Dimension(360, 900));
        return ((Number) ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollWidth"))
                .intValue();
    }

    /** A JSON number as JavaScript writes it: {@code 4.0} as {@code 4}. */
    private static String plain(JsonNode number) {
        return number.decimalValue().stripTrailingZeros().toPlainString();
    }

    /** The browser's console errors since the last call (reading the log empties it). */
    private static List<String> consoleErrors() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    /** axe-core's serious and critical violations on the page as it is now. */
    private static List<String> axeViolations() {
        Results results = new AxeBuilder().analyze(browser);
        return results.getViolations().stream()
                .filter(rule -> "serious".equals(rule.getImpact()) || "critical".equals(rule.getImpact()))
                .map(DashboardBrowserTest::describe)
                .toList();
    }

    private static String describe(Rule rule) {
        return rule.getId() + " (" + rule.getImpact() + "): " + rule.getHelp() + " at "
                + rule.getNodes().stream().map(node -> String.valueOf(node.getTarget())).toList();
    }

    /** The whole page at 1280 and at 360 px wide, as {@code <name>-<width>.png}. */
    private static void screenshots(String name) {
        for (int width : new int[] {1280, 360}) {
            browser.manage().window().setSize(new Dimension(width, 900));
            Number height = (Number) ((JavascriptExecutor) browser)
                    .executeScript("return document.documentElement.scrollHeight");
            browser.manage().window().setSize(new Dimension(width, Math.min(8000, height.intValue())));
            try {
                Files.write(SCREENSHOTS.resolve(name + "-" + width + ".png"), browser.getScreenshotAs(OutputType.BYTES));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        browser.manage().window().setSize(new Dimension(1280, 900));
    }
}
