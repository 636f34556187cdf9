package dev.tally.adapter.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads a request's whole body as it arrives, without holding a thread, and only then hands the
 * request to the next handler (R65). Javalin reads bodies blocking on a pool thread; without this
 * a few hundred clients trickling their bodies would hold every thread of the pool.
 *
 * <p>A body must arrive within {@code deadline} of its headers, else {@code 408 request_timeout};
 * a body that ends before its {@code Content-Length} is {@code 400 incomplete_body}; one larger
 * than {@code maxBytes} is {@code 413 request_too_large} once it has been read (and dropped):
 * answered while the client still sends, the answer would be lost when the connection closes.
 * The bodies still arriving share a {@code budget} of bytes, so that slow clients cannot fill the
 * heap either; a body beyond it is {@code 503 service_unavailable} with {@code Retry-After}.
 * Each closes the connection.
 */
final class WholeBodyReader implements EagerContentHandler.ContentLoaderFactory {

    /** What is allocated up front, whatever length a client declares. */
    private static final int INITIAL_BUFFER = 16 * 1024;

    private static final Refusal TOO_LARGE = new Refusal(413, "request_too_large",
            "The request body is larger than this server accepts.");
    private static final Refusal BUSY = new Refusal(503, "service_unavailable",
            "Too many request bodies are arriving at once; retry shortly.");

    private final long maxBytes;
    private final Duration deadline;
    private final long budget;
    /** Bytes of bodies still arriving, over all requests: what slow clients hold of the heap. */
    private final AtomicLong buffered = new AtomicLong();

    WholeBodyReader(long maxBytes, Duration deadline, long budget) {
        this.maxBytes = maxBytes;
        this.deadline = deadline;
        this.budget = budget;
    }

    @Override
    public String getApplicableMimeType() {
        return null; // every content type
    }

    @Override
    public EagerContentHandler.ContentLoader newContentLoader(String contentType, String mimeType, Handler handler,
                                                              Request request, Response response, Callback callback) {
        return new Loader(handler, request, response, callback);
    }

    private final class Loader extends EagerContentHandler.ContentLoader implements Invocable.Task {

        /** Set once by whichever comes first: the last byte, a failure or the deadline. */
        private final AtomicBoolean settled = new AtomicBoolean();
        private ByteArrayOutputStream body;
        /** This request's share of {@link #buffered}, given back when it settles. */
        private final AtomicLong held = new AtomicLong();
        /**
         * Set when the body will not be handled (too large, or over the budget): the rest is read and
         * dropped, so that the answer reaches a client still sending; closing under it would reset it.
         */
        private Refusal dropping;
        private Scheduler.Task timeout;

        Loader(Handler handler, Request request, Response response, Callback callback) {
            super(handler, request, response, callback);
        }

        @Override
        protected void load() {
            long declared = getRequest().getLength();
            if (declared > maxBytes && getRequest().getHeaders().contains(HttpHeader.EXPECT, "100-continue")) {
                refuse(TOO_LARGE); // the client waits for a go-ahead: it sends nothing more
                return;
            }
            dropping = declared > maxBytes ? TOO_LARGE : null;
            body = new ByteArrayOutputStream(declared > maxBytes ? 0
                    : (int) Math.min(declared > 0 ? declared : INITIAL_BUFFER, INITIAL_BUFFER));
            timeout = getRequest().getComponents().getScheduler()
                    .schedule(this::expire, deadline.toMillis(), TimeUnit.MILLISECONDS);
            read(false);
        }

        /** Runs when more of the body has arrived. */
        @Override
        public void run() {
            read(true);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }

        private void read(boolean onDemand) {
            try {
                readAvailable(onDemand);
            } finally {
                if (settled.get()) {
                    giveBack(); // bytes kept while the deadline settled the request
                }
            }
        }

        private void readAvailable(boolean onDemand) {
            while (!settled.get()) {
                Content.Chunk chunk = getRequest().read();
                if (chunk == null) {
                    getRequest().demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    failed(chunk.getFailure());
                    return;
                }
                keep(chunk.getByteBuffer());
                chunk.release();
                if (chunk.isLast()) {
                    finish(onDemand);
                    return;
                }
            }
        }

        private void finish(boolean onDemand) {
            if (dropping != null) {
                refuse(dropping);
            } else if (settle()) {
                if (onDemand) {
                    // A demand callback must not block; the next handler reads and writes blocking.
                    getRequest().getContext().execute(this::handleWhole);
                } else {
                    handleWhole();
                }
            }
        }

        private void keep(ByteBuffer bytes) {
            int length = bytes.remaining();
            if (dropping == null && body.size() + (long) length > maxBytes) {
                drop(TOO_LARGE);
            } else if (dropping == null && !reserve(length)) {
                drop(BUSY);
            }
            if (dropping == null) {
                byte[] copy = new byte[length];
                bytes.get(copy);
                body.write(copy, 0, copy.length);
            }
        }

        private boolean reserve(int length) {
            if (buffered.addAndGet(length) > budget) {
                buffered.addAndGet(-length);
                return false;
            }
            held.addAndGet(length);
            return true;
        }

        private void drop(Refusal refusal) {
            dropping = refusal;
            body = new ByteArrayOutputStream(0);
            giveBack();
        }

        private void giveBack() {
            buffered.addAndGet(-held.getAndSet(0));
        }

        private void handleWhole() {
            handle(new WholeBodyRequest(getRequest(), body.toByteArray()), getResponse(), getCallback());
        }

        private boolean settle() {
            if (!settled.compareAndSet(false, true)) {
                return false;
            }
            if (timeout != null) {
                timeout.cancel();
            }
            giveBack(); // once handed on, a body is held by a pool thread, which the pool's size bounds
            return true;
        }

        private void expire() {
            refuse(new Refusal(408, "request_timeout", "The request body did not arrive within "
                    + deadline.toSeconds() + " s of its headers."));
        }

        private void failed(Throwable failure) {
            refuse(failure instanceof EofException
                    ? new Refusal(400, "incomplete_body", "The request ended before the body its Content-Length declared.")
                    : new Refusal(408, "request_timeout", "The request body stopped arriving."));
        }

        private void refuse(Refusal refusal) {
            if (!settle()) {
                return;
            }
            Response response = getResponse();
            response.setStatus(refusal.status());
            if (refusal.status() == 503) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            }
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE);
            response.write(true, ByteBuffer.wrap(JsonErrorHandler.body(refusal.code(), refusal.message())),
                    getCallback());
        }
    }

    private record Refusal(int status, String code, String message) {
    }

    /** The request as the next handler sees it: its body, already here, in one last chunk. */
    private static final class WholeBodyRequest extends Request.Wrapper {

        private final AtomicBoolean served = new AtomicBoolean();
        private final byte[] body;

        WholeBodyRequest(Request wrapped, byte[] body) {
            super(wrapped);
            this.body = body;
        }

        @Override
        public Content.Chunk read() {
            // Once the whole body is served, the wrapped request has nothing more either: it answers EOF.
            return served.compareAndSet(false, true) ? Content.Chunk.from(ByteBuffer.wrap(body), true) : super.read();
        }
    }
}
