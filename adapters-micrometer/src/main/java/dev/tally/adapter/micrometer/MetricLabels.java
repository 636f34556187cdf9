package dev.tally.adapter.micrometer;

import dev.tally.domain.Refusal;
import dev.tally.domain.plan.LimitExceeded;
import dev.tally.domain.plan.MetricKey;
import java.util.Set;

/**
 * The label values of Tally's meters (R68): each from a small set fixed here, whatever clients
 * send, so that the number of series stays bounded. A client chooses its metrics' names, its call
 * types and the method of its request; those outside the set are {@code other}, and a
 * {@code api_calls.<call_type>} metric is {@code api_calls}. Per-metric figures are the API's to
 * tell ({@code GET …/billing}), not the monitoring's.
 */
public final class MetricLabels {

    /** The label of whatever is outside a set. */
    public static final String OTHER = "other";

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS",
            "TRACE", "CONNECT");
    /** Tally's own metrics, and the per-item cap a denial may name. */
    private static final Set<String> METRICS = Set.of(MetricKey.RUNS.value(), MetricKey.SESSIONS.value(),
            MetricKey.SESSION_MINUTES.value(), MetricKey.CREDITS.value(), MetricKey.ACTIVATION_CODES.value(),
            MetricKey.COST_USD.value(), "max_file_size_mb");
    private static final String API_CALLS = "api_calls";

    private MetricLabels() {
    }

    /** An HTTP method, or {@code other} for any token a client made up. */
    public static String method(String method) {
        return METHODS.contains(method) ? method : OTHER;
    }

    /** One of Tally's own metrics, {@code api_calls} for any call type, or {@code other}. */
    public static String metric(String metric) {
        if (METRICS.contains(metric)) {
            return metric;
        }
        return metric.startsWith(API_CALLS + ".") ? API_CALLS : OTHER;
    }

    /** A refusal's code, with a limit's metric named as {@link #metric} names it. */
    public static String refusal(Refusal refusal) {
        if (refusal instanceof LimitExceeded exceeded) {
            return metric(exceeded.metric().value()) + "_limit_exceeded";
        }
        return refusal.code();
    }
}
