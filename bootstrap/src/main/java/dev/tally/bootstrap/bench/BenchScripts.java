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
    /** A template: see {@link #grouped}. */
    static final String PGBENCH_GROUPED = "pgbench-grouped.sql";

    private final Path dir;

    private BenchScripts(Path dir) {
        this.dir = dir;
    }

    static BenchScripts extract() throws IOException {
        Path dir = Files.createTempDirectory("tally-bench-");
        BenchScripts scripts = new BenchScripts(dir);
        try {
            for (String name : List.of(WRK, PGBENCH_SETUP, PGBENCH_DECISION, PGBENCH_GROUPED)) {
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

    /**
     * The grouped pgbench script for groups of {@code size} decisions, written out beside the
     * template: every line holding {@code {n}} (comments aside) repeated for n = 1 .. size, the
     * last copy without its trailing comma, since pgbench scripts cannot loop.
     */
    Path grouped(int size) throws IOException {
        StringBuilder script = new StringBuilder();
        for (String line : text(PGBENCH_GROUPED).split("\n", -1)) {
            if (line.startsWith("--") || !line.contains("{n}")) {
                script.append(line).append('\n');
                continue;
            }
            for (int n = 1; n <= size; n++) {
                String copy = line.replace("{n}", String.valueOf(n));
                if (n == size && copy.endsWith(",")) {
                    copy = copy.substring(0, copy.length() - 1);
                }
                script.append(copy).append('\n');
            }
        }
        Path path = dir.resolve("grouped-" + size + "-" + PGBENCH_GROUPED);
        Files.writeString(path, script.toString().stripTrailing() + "\n");
        return path;
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
