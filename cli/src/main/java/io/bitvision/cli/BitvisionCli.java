package io.bitvision.cli;

import io.bitvision.cli.bench.BenchCommand;
import io.bitvision.cli.bench.SoakCommand;
import io.bitvision.cli.cluster.ClusterCommand;
import io.bitvision.cli.cluster.VerifyClusterCommand;
import io.bitvision.cli.cluster.VerifyUpgradeCommand;
import io.bitvision.testkit.broker.StandaloneBroker;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./bitvision}: one subcommand per job an operator or developer does by hand. */
@Command(name = "bitvision", mixinStandardHelpOptions = true, versionProvider = BitvisionCli.Version.class,
        description = "Streaming video analytics on Flink with an in-JVM binarized inference engine.",
        subcommands = {CommandLine.HelpCommand.class, DemoCommand.class, RunCommand.class, InferCommand.class, EvalCommand.class,
                EvalFacesCommand.class,
                FacesCommand.class, EnrollCommand.class, CalibrateCommand.class, AddCameraCommand.class,
                ConsumeCommand.class, StandaloneBroker.BrokerCommand.class, ClusterCommand.class,
                VerifyClusterCommand.class, VerifyUpgradeCommand.class, EngineDemoCommand.class,
                ModelInfoCommand.class, BenchCommand.class, SoakCommand.class, TrainCommand.class,
                io.bitvision.cli.console.ConsoleCommand.class},
        footer = {"", "Also: ./bitvision test   build and run every test (what CI runs)."})
public final class BitvisionCli {
    private BitvisionCli() {}

    public static void main(String[] args) {
        System.exit(execute(System.out, System.err, args));
    }

    /** Runs one command line, printing to {@code out} and {@code err}; returns its exit status (2: usage error). */
    public static int execute(PrintStream out, PrintStream err, String... args) {
        return commandLine(out, err).execute(args);
    }

    static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine cli = new CommandLine(new BitvisionCli(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                K made = defaults.create(type);
                if (made instanceof CliCommand command) {
                    command.streams(out, err);
                }
                return made;
            }
        });
        return cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
                .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
                .setOverwrittenOptionsAllowed(true)
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                    commandLine.getErr().println(commandLine.getCommandName() + ": " + e);
                    e.printStackTrace(commandLine.getErr());
                    return 1;
                })
                .setExecutionStrategy(parseResult -> {
                    if (parseResult.subcommand() == null && !parseResult.isUsageHelpRequested()
                            && !parseResult.isVersionHelpRequested()) {
                        parseResult.commandSpec().commandLine().usage(parseResult.commandSpec().commandLine().getOut());
                        return 0;
                    }
                    return new CommandLine.RunLast().execute(parseResult);
                });
    }

    /** The version from the jar's manifest, or the build's. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = BitvisionCli.class.getPackage().getImplementationVersion();
            return new String[] {"bitvision " + (version != null ? version : "0.1.0-SNAPSHOT")};
        }
    }
}
