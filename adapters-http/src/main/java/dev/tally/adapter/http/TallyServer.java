package dev.tally.adapter.http;

import dev.tally.application.Tally;
import dev.tally.application.port.WebhookSender;
import dev.tally.application.webhook.WebhookDispatcher;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.javalin.json.JavalinJackson;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tally's HTTP API (v1) over one {@link Tally}: every route of the design, the dashboard page,
 * {@code /openapi.json} and {@code /metrics} (for the admin key or the metrics token, R68).
 *
 * <pre>{@code
 * try (TallyServer server = TallyServer.start(tally, ServerSettings.onPort(0))) {
 *     int port = server.port();
 * }
 * }</pre>
 *
 * <p>{@link #close()} stops accepting connections, then lets requests in flight finish (up to
 * {@link ServerSettings#stopTimeout()}) before it returns.
 *
 * <p>A slow or idle client holds no thread and only what {@link ServerSettings} grants it (R65):
 * bodies are read in full before a handler runs, headers and bodies have read deadlines, and
 * connections are capped per client address and in total. Each key, and each address without a
 * valid key, has a request rate (R67, {@link RateLimits}).
 */
public final class TallyServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TallyServer.class);

    private static final Duration SHUTDOWN_IDLE_TIMEOUT = Duration.ofMillis(100);
    /** The buffer Javalin copies a response through (see {@code responseBufferSize}). */
    private static final int RESPONSE_COPY_BUFFER_BYTES = 4096;

    private final Javalin javalin;
    private final List<RouteTable.Route> routes;
    private final Optional<Webhooks> webhooks;
    private final HttpMetrics metrics;
    /** How often a node looks for due webhook deliveries, besides whenever one of its attempts ends. */
    static final Duration DISPATCH_INTERVAL = Duration.ofMillis(250);

    private TallyServer(Javalin javalin, List<RouteTable.Route> routes, Optional<Webhooks> webhooks,
                        HttpMetrics metrics) {
        this.javalin = javalin;
        this.routes = routes;
        this.webhooks = webhooks;
        this.metrics = metrics;
    }

    /**
     * Starts the API on {@code settings.port()} (0 for any free port), with this node's webhook
     * dispatcher, and returns once it listens.
     */
    public static TallyServer start(Tally tally, ServerSettings settings) {
        return start(tally, settings, true);
    }

    /**
     * {@link #start(Tally, ServerSettings)}; without {@code dispatchWebhooks}, this node makes no
     * webhook attempts (others sharing its database do), and reads the clock only for requests.
     */
    public static TallyServer start(Tally tally, ServerSettings settings, boolean dispatchWebhooks) {
        Objects.requireNonNull(tally, "tally");
        Objects.requireNonNull(settings, "settings");
        HttpMetrics metrics = new HttpMetrics();
        AtomicReference<List<RouteTable.Route>> registered = new AtomicReference<>();
        Javalin javalin = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = settings.maxRequestBytes();
            config.http.prefer405over404 = true;
            // Javalin copies each response to Jetty through a buffer of this size, allocated per
            // response (by default Jetty's output buffer, 32 KiB, which made most of the server's
            // garbage); Tally's answers are a few hundred bytes, its largest page is copied in steps.
            config.http.responseBufferSize = RESPONSE_COPY_BUFFER_BYTES;
            config.jsonMapper(new JavalinJackson(Json.mapper(), false));
            config.jetty.addConnector((server, http) -> connector(server, http, settings));
            config.jetty.modifyServer(server -> {
                server.setStopTimeout(settings.stopTimeout().toMillis());
                server.setErrorHandler(new JsonErrorHandler());
                // Beyond this many connections the server stops accepting until one closes.
                server.addBean(new NetworkConnectionLimit(settings.maxConnections(), server));
                // Bodies are read in full, without a thread, before Javalin reads them blocking on one.
                server.insertHandler(new EagerContentHandler(
                        new WholeBodyReader(settings.maxRequestBytes(), settings.bodyTimeout(),
                                settings.bodyBudgetBytes())));
                // Outermost, so that every answer carries them, refusals of the body reader included (R68).
                server.insertHandler(new SecurityHeaders());
                // Outermost of all, so that every answer carries its request's id (R93).
                server.insertHandler(new RequestIds());
            });
            config.requestLogger.http((ctx, millis) -> answered(tally, metrics, ctx, millis));

            new ErrorMapper(metrics).install(config.routes);
            RouteTable table = new RouteTable(config.routes, tally.access(),
                    new ClientRates(settings.rates(), tally.clock()), settings.metricsToken(), new Audit(tally.audit()));
            new HealthRoutes(tally.health()).register(table);
            new DocumentRoutes(metrics).register(table);
            new PlanRoutes(tally.plans(), tally.users()).register(table);
            new ModelRoutes(tally.prices()).register(table);
            new MeterRoutes(tally.meters()).register(table);
            new UserRoutes(tally.users(), tally.userList()).register(table);
            new ApiKeyRoutes(tally.access()).register(table);
            new UsageRoutes(tally.usage(), metrics).register(table);
            new SessionRoutes(tally.sessions(), metrics).register(table);
            new ReportRunRoutes(tally.runs(), metrics).register(table);
            new CreditRoutes(tally.credits(), metrics, tally.clock()).register(table);
            new ApiCallRoutes(tally.apiCalls(), metrics).register(table);
            new ActivationCodeRoutes(tally.activationCodes(), metrics).register(table);
            new BillingRoutes(tally.billing(), tally.users()).register(table);
            new EntitlementRoutes(tally.entitlements()).register(table);
            new OverrideRoutes(tally.overrides()).register(table);
            new AllocationRoutes(tally.allocations(), metrics).register(table);
            new ReservationRoutes(tally.reservations(), metrics).register(table);
            new EventRoutes(tally.events()).register(table);
            new WebhookRoutes(tally.webhooks()).register(table);
            new AuditRoutes(tally.audit()).register(table);
            new CorrectionRoutes(tally.corrections(), tally.exports()).register(table);
            registered.set(table.routes());
        });
        javalin.start();
        for (var connector : javalin.jettyServer().server().getConnectors()) {
            if (connector instanceof AbstractConnector jetty) {
                // Idle keep-alive connections are closed this soon at shutdown; requests in flight still finish.
                jetty.setShutdownIdleTimeout(SHUTDOWN_IDLE_TIMEOUT.toMillis());
            }
        }
        LOG.info("Tally API listening on port {}", javalin.port());
        return new TallyServer(javalin, registered.get(),
                dispatchWebhooks ? Optional.of(dispatchWebhooks(tally, metrics)) : Optional.empty(), metrics);
    }

    /** This node's webhook dispatch: its loop, the threads its attempts run on, and its HTTP client. */
    private record Webhooks(Thread loop, ExecutorService attempts, HttpWebhookSender sender) {

        void stop() {
            loop.interrupt();
            attempts.shutdownNow();
            sender.close();
        }
    }

    /**
     * Every node runs a dispatcher of due webhook deliveries (R76, R77): a loop that claims what
     * there is room for whenever an attempt ends, and every {@link #DISPATCH_INTERVAL}, and a
     * thread per attempt under way, up to {@link WebhookDispatcher#IN_FLIGHT}, so that a slow
     * endpoint holds only its own share. Leases keep two nodes from making the same attempt.
     */
    private static Webhooks dispatchWebhooks(Tally tally, HttpMetrics metrics) {
        HttpWebhookSender http = new HttpWebhookSender(tally.clock());
        AtomicInteger threads = new AtomicInteger();
        // Threads come as attempts start and go when idle; the dispatcher's room bounds how many run at once
        // (a thread whose attempt has just ended may linger a moment, so the pool itself is not capped).
        ExecutorService attempts = Executors.newCachedThreadPool(work -> {
            Thread thread = new Thread(work, "tally-webhook-attempt-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        WebhookDispatcher dispatcher = tally.webhookDispatcher((target, secret, eventId, body) -> {
            WebhookSender.Result result = http.send(target, secret, eventId, body);
            metrics.webhookAttempt(result);
            return result;
        }, attempts, WebhookDispatcher.IN_FLIGHT);
        metrics.webhookDeliveries(tally.webhooks()::counts);
        Thread loop = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    while (dispatcher.dispatchDue() > 0) {
                        // Until nothing more is due now, or there is no room.
                    }
                } catch (RuntimeException e) {
                    // Storage down, say: the deliveries stay due and the next round tries again.
                    LOG.debug("webhook dispatch round failed", e);
                }
                try {
                    dispatcher.awaitAttemptEnd(DISPATCH_INTERVAL);
                } catch (InterruptedException stopping) {
                    return;
                }
            }
        }, "tally-webhooks");
        loop.setDaemon(true);
        loop.start();
        return new Webhooks(loop, attempts, http);
    }

    /** The one HTTP/1.1 connector, with its header deadline and per-address cap (R65). */
    private static ServerConnector connector(Server server, HttpConfiguration http, ServerSettings settings) {
        ServerConnector connector = new ServerConnector(server,
                new HeaderDeadlineConnectionFactory(http, settings.headerTimeout()));
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        if (settings.maxConnectionsPerAddress() > 0) {
            connector.addEventListener(new PerAddressConnectionLimit(settings.maxConnectionsPerAddress()));
        }
        return connector;
    }

    /** Counts every answered request for health (R51) and metrics, by route template, not raw path. */
    private static void answered(Tally tally, HttpMetrics metrics, Context ctx, Float millis) {
        int status = ctx.statusCode();
        tally.health().record(status);
        metrics.request(ctx.method().name(), routeOf(ctx), status,
                Duration.ofNanos((long) (millis == null ? 0 : millis * 1_000_000)));
    }

    private static String routeOf(Context ctx) {
        try {
            return ctx.endpoint().path;
        } catch (RuntimeException unmatched) {
            // Javalin has no endpoint for a request that matched no route (404, 405).
            return HttpMetrics.UNMATCHED;
        }
    }

    /** The port the server listens on. */
    public int port() {
        return javalin.port();
    }

    /**
     * The registry {@code /metrics} shows: what else runs on this node (a consumer of a log, R95)
     * registers its meters here, under the same rule that no label is a value a client chooses (R68).
     */
    public MeterRegistry meterRegistry() {
        return metrics.registry();
    }

    /** Every route served, with who may call it; the OpenAPI document lists the same set. */
    List<RouteTable.Route> routes() {
        return routes;
    }

    /** Whether {@link #close()} has begun and not yet finished. */
    boolean stopping() {
        return javalin.jettyServer().server().isStopping();
    }

    /** Stops accepting connections, lets requests in flight finish, then stops. */
    @Override
    public void close() {
        webhooks.ifPresent(Webhooks::stop);
        javalin.stop();
    }
}
