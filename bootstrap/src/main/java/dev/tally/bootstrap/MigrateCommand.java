package dev.tally.bootstrap;

import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Brings the database schema to the latest version and exits. */
@Command(name = "migrate", mixinStandardHelpOptions = true, description = "Migrate the database schema.")
final class MigrateCommand implements Callable<Integer> {

    @Mixin
    DatabaseOption database;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        // Opening the storage migrates it.
        try (TallyApp app = TallyApp.open(database.dbUrl, Clock.systemUTC())) {
            spec.commandLine().getOut().println("Schema is up to date: " + app.storageDescription());
        }
        return 0;
    }
}
