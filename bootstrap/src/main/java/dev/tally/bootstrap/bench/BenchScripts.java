package dev.tally.bootstrap.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The scripts of docs/bench/ (the build copies them into the jar under {@code bench/}), written
 * to a temporary directory for {@code wrk} and {@code pgbench} to read, and deleted on close.
 */
final class BenchScripts implements AutoCloseable {

    static final String WRK = "tally.lua";
    static final String PGBENCH_SETUP = "pgbench-setup.sql";
    static final String PGBENCH_DECISION = "pgbench-decision.sql";

    private final Path dir;

    private BenchScripts(Path dir) {
        this.dir = dir;
    }

    static BenchScripts extract() throws IOException {
        Path dir = Files.createTempDirectory("tally-bench-");
        BenchScripts scripts = new BenchScripts(dir);
        try {
            for (String name : List.of(WRK, PGBENCH_SETUP, PGBENCH_DECISION)) {
                try (InputStream in = BenchScripts.class.getResourceAsStream("/bench/" + name)) {
                    if (in == null) {
                        throw new IOException("bench/" + name + " is missing from the class path");
                    }
                    Files.copy(in, dir.resolve(name));
                }
            }
            return scripts;
        } catch (IOException | RuntimeException e) {
            scripts.close();
            throw e;
        }
    }

    Path path(String name) {
        return dir.resolve(name);
    }

    String text(String name) {
        try {
            return Files.readString(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
