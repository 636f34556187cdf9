package dev.tally.bootstrap;

import dev.tally.adapter.http.ServerSettings;
import dev.tally.application.Tally;
import dev.tally.bootstrap.bench.BenchHost;
import java.time.Clock;

/** The composition root as the bench command sees it: {@link TallyApp} and {@link OpenStorage}. */
final class TallyBenchHost implements BenchHost {

    @Override
    public Server open(String dbUrl) {
        TallyApp app = TallyApp.open(dbUrl, Clock.systemUTC());
        return new Server() {
            @Override
            public Tally tally() {
                return app.tally();
            }

            @Override
            public int serve(ServerSettings settings) {
                return app.serve(settings);
            }

            @Override
            public String storageDescription() {
                return app.storageDescription();
            }

            @Override
            public void close() {
                app.close();
            }
        };
    }

    @Override
    public void migrate(String jdbcUrl) {
        OpenStorage.open(jdbcUrl).close();
    }
}
