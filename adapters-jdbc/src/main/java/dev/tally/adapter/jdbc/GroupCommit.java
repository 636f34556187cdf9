package dev.tally.adapter.jdbc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Group commit: work submitted at the same time by several threads runs in one transaction and
 * one commit, each piece answered on its own once that commit is done.
 *
 * <p>No thread of its own: a caller that finds fewer groups running than the node has lanes
 * leads, takes what is queued besides its own work, runs it as one transaction through
 * {@link Db}, hands the answers out, and passes the lead to the oldest caller still waiting.
 * While the lanes' groups commit, the next ones gather, so the busier the node, the more decisions
 * share a commit; a lone caller runs at once and pays nothing. One lane where the database takes
 * one writer at a time (an H2 file); several where connections work in parallel (PostgreSQL), so
 * that grouping never takes away the pool's parallelism.
 *
 * <p>Work submitted with a {@link GroupedAppends.Hint} (the records it appends) is decided by
 * {@link GroupedAppends}: the group's rollups are locked and read, and its facts looked up, in one
 * statement each before any member runs, every member is decided in Java on what was read, and
 * the group's facts and rollup raises are written in one statement each before the commit.
 *
 * <p>A piece of work that throws rolls the group back: since its failure may depend on what the
 * others wrote before it, every piece of that group then runs again on its own. Conflicts the
 * database reports (serialization failures, deadlocks, a lost connection before the commit) run
 * the whole group again, as {@link Db} does for any transaction; a connection lost during the
 * commit fails every piece with storage unavailable, and the clients' retries find out what was
 * stored (R20, R66).
 */
final class GroupCommit {

    /** Pieces of work in one transaction at most: enough to share a commit, short enough to hold few locks. */
    static final int MAX_GROUP = 64;

    private final Db db;
    private final Deque<Pending<?>> queue = new ArrayDeque<>();
    private int leading;
    private volatile int lanes = 1;
    private volatile boolean decideAlone;
    private final LongAdder groups = new LongAdder();
    private final LongAdder pieces = new LongAdder();
    private final LongAdder decidedInJava = new LongAdder();

    GroupCommit(Db db) {
        this.db = db;
    }

    /** Groups that may commit at the same time, each on a connection of its own. */
    void lanes(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("a group commit needs a lane at least: " + count);
        }
        lanes = count;
    }

    int lanes() {
        return lanes;
    }

    /**
     * Whether a group of one with a hint is decided as any group is, in multi-row statements, rather
     * than by the ungrouped path (which costs it fewer statements): tests hold the grouped decisions
     * to the ungrouped ones with it.
     */
    void decideAlone(boolean on) {
        decideAlone = on;
    }

    /** Runs {@code work} in a transaction shared with whatever else is submitted meanwhile. */
    <T> T run(String orderKey, Supplier<T> work) {
        return run(orderKey, null, work);
    }

    /**
     * {@link #run(String, Supplier)} for work that appends the records {@code hint} names (null
     * when it is not known), which the group then reads and writes in multi-row statements.
     */
    <T> T run(String orderKey, GroupedAppends.Hint hint, Supplier<T> work) {
        Pending<T> mine = new Pending<>(orderKey, hint, work);
        boolean lead;
        synchronized (this) {
            lead = leading < lanes;
            if (lead) {
                leading++;
            } else {
                queue.add(mine);
            }
        }
        if (lead || mine.awaitTurn()) {
            // A leader's own work is out of the queue: it leads at once, or was taken off the
            // head when the lead passed to it.
            List<Pending<?>> group = new ArrayList<>();
            group.add(mine);
            synchronized (this) {
                while (!queue.isEmpty() && group.size() < MAX_GROUP) {
                    group.add(queue.poll());
                }
            }
            try {
                execute(group);
            } finally {
                synchronized (this) {
                    Pending<?> next = queue.poll();
                    if (next == null) {
                        leading--;
                    } else {
                        next.lead();
                    }
                }
            }
        }
        return mine.answer();
    }

    /** Groups committed so far, and the pieces of work they held: their ratio is the mean group size. */
    long groups() {
        return groups.sum();
    }

    long pieces() {
        return pieces.sum();
    }

    /** Appends decided in Java on what their group read, in groups that committed or not. */
    long decidedInJava() {
        return decidedInJava.sum();
    }

    /** Work queued for the next group. */
    synchronized int waiting() {
        return queue.size();
    }

    private void execute(List<Pending<?>> group) {
        try {
            if (group.size() == 1 && !(decideAlone && group.get(0).hint != null)) {
                Pending<?> alone = group.get(0);
                alone.settle(() -> db.inTransaction(handle -> alone.work.get()));
                groups.increment();
                pieces.increment();
                return;
            }
            List<Pending<?>> ordered = new ArrayList<>(group);
            ordered.sort(Comparator.comparing(pending -> pending.orderKey));
            Object[] answers;
            List<GroupedAppends.Hint> hints = ordered.stream().map(pending -> pending.hint)
                    .filter(java.util.Objects::nonNull).toList();
            try {
                answers = db.inTransaction(handle -> {
                    // Each attempt reads afresh what its members decide on.
                    try (GroupedAppends appends = GroupedAppends.open(db, handle, hints, decidedInJava)) {
                        Object[] results = new Object[ordered.size()];
                        for (int i = 0; i < results.length; i++) {
                            results[i] = ordered.get(i).runInGroup();
                        }
                        appends.flush();
                        return results;
                    }
                });
            } catch (PieceFailed | GroupedAppends.Stale failed) {
                // Rolled back: each piece runs again in a transaction of its own.
                for (Pending<?> pending : ordered) {
                    pending.settle(() -> db.inTransaction(handle -> pending.work.get()));
                }
                return;
            } catch (RuntimeException | Error e) {
                ordered.forEach(pending -> pending.fail(e));
                return;
            }
            for (int i = 0; i < answers.length; i++) {
                ordered.get(i).succeed(answers[i]);
            }
            groups.increment();
            pieces.add(ordered.size());
        } finally {
            // Nobody waits forever, whatever went wrong above.
            group.forEach(pending -> pending.fail(new IllegalStateException("group commit ended without an answer")));
        }
    }

    /** A piece of work failed inside a group; the group is rolled back. */
    private static final class PieceFailed extends RuntimeException {
        PieceFailed(RuntimeException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /** One caller's work and, once settled, its answer. */
    private static final class Pending<T> {

        private enum State { WAITING, LEADING, SETTLED }

        final String orderKey;
        final GroupedAppends.Hint hint;
        final Supplier<T> work;
        private State state = State.WAITING;
        private Object result;
        private Throwable failure;

        Pending(String orderKey, GroupedAppends.Hint hint, Supplier<T> work) {
            this.orderKey = orderKey;
            this.hint = hint;
            this.work = work;
        }

        /** Runs the work inside the group's transaction; a failure other than a conflict undoes the group. */
        Object runInGroup() {
            try {
                return work.get();
            } catch (Db.Conflict conflict) {
                throw conflict;
            } catch (RuntimeException e) {
                // The cause keeps its SQLState, so Db still runs the group again on a conflict.
                throw new PieceFailed(e);
            }
        }

        /** Waits until this caller leads a group (true) or has its answer (false). */
        synchronized boolean awaitTurn() {
            boolean interrupted = false;
            while (state == State.WAITING) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    // The work may already be running in a group: its answer is still awaited.
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return state == State.LEADING;
        }

        synchronized void lead() {
            state = State.LEADING;
            notifyAll();
        }

        void settle(Supplier<?> attempt) {
            try {
                succeed(attempt.get());
            } catch (RuntimeException | Error e) {
                fail(e);
            }
        }

        synchronized void succeed(Object answer) {
            if (state != State.SETTLED) {
                result = answer;
                state = State.SETTLED;
                notifyAll();
            }
        }

        synchronized void fail(Throwable e) {
            if (state != State.SETTLED) {
                failure = e;
                state = State.SETTLED;
                notifyAll();
            }
        }

        @SuppressWarnings("unchecked")
        synchronized T answer() {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            return (T) result;
        }
    }
}
