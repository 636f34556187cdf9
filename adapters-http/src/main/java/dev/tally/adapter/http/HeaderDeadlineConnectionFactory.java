package dev.tally.adapter.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * HTTP/1.1 connections whose request line and headers must arrive within a deadline of their
 * first byte (R65). Jetty's idle timeout alone never cuts a client that sends one header byte
 * every few seconds; this closes it. The wait between requests on a kept-alive connection is not
 * counted: it is the idle timeout's.
 */
final class HeaderDeadlineConnectionFactory extends HttpConnectionFactory {

    private final Duration deadline;

    HeaderDeadlineConnectionFactory(HttpConfiguration configuration, Duration deadline) {
        super(configuration);
        this.deadline = deadline;
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        DeadlineConnection connection = new DeadlineConnection(getHttpConfiguration(), connector, endPoint,
                connector.getScheduler(), deadline);
        connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
        return configure(connection, connector, endPoint);
    }

    private static final class DeadlineConnection extends HttpConnection {

        private final Scheduler scheduler;
        private final Duration deadline;
        private volatile Scheduler.Task pending;

        DeadlineConnection(HttpConfiguration configuration, Connector connector, EndPoint endPoint,
                           Scheduler scheduler, Duration deadline) {
            super(configuration, connector, endPoint);
            this.scheduler = scheduler;
            this.deadline = deadline;
        }

        @Override
        protected RequestHandler newRequestHandler() {
            // Called from the super constructor: only touch this connection's fields when a request is parsed.
            return new RequestHandler() {
                @Override
                public boolean headerComplete() {
                    headersEnded();
                    return super.headerComplete();
                }
            };
        }

        @Override
        public void onFillable() {
            super.onFillable();
            HttpParser parser = getParser();
            // Part of a request line or of its headers has arrived, and not the rest: the clock starts.
            if (pending == null && parser.inHeaderState() && !parser.isStart()) {
                pending = scheduler.schedule(this::tooSlow, deadline.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void onClose(Throwable cause) {
            headersEnded();
            super.onClose(cause);
        }

        private void headersEnded() {
            Scheduler.Task task = pending;
            pending = null;
            if (task != null) {
                task.cancel();
            }
        }

        private void tooSlow() {
            if (pending != null) {
                getEndPoint().close();
            }
        }
    }
}
