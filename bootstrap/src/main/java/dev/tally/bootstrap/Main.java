package dev.tally.bootstrap;

import dev.tally.bootstrap.bench.BenchCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar tally.jar <command>}: {@code serve}, {@code migrate}, {@code reconcile},
 * {@code demo} and {@code bench}.
 */
@Command(name = "tally", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Usage metering and plan-limit enforcement per billing period.",
        subcommands = {ServeCommand.class, MigrateCommand.class, ReconcileCommand.class, ExportCommand.class,
                DemoCommand.class,
                BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line, printing to {@code out} and {@code err}; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return new CommandLine(new Main(), new Commands()).setOut(out).setErr(err).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds each command; the bench gets the composition root it measures through {@link TallyBenchHost}. */
    private static final class Commands implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> command) throws Exception {
            return command == BenchCommand.class ? command.cast(new BenchCommand(new TallyBenchHost()))
                    : CommandLine.defaultFactory().create(command);
        }
    }

    /** The version from the jar's manifest, when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"tally " + (version == null ? "(development build)" : version)};
        }
    }
}
