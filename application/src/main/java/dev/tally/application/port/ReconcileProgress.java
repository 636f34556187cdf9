package dev.tally.application.port;

/** Told how far a reconcile has come, e.g. to draw a progress bar. */
@FunctionalInterface
public interface ReconcileProgress {

    ReconcileProgress NONE = (done, total) -> { };

    void update(long done, long total);
}
