package org.borderwatch.cli;

import org.borderwatch.cli.bench.BenchCommand;
import org.borderwatch.cli.chaos.ChaosCommand;
import org.borderwatch.cli.dev.DevCommand;
import org.borderwatch.cli.publish.PublishCommand;
import org.borderwatch.cli.query.QueryCommand;
import org.borderwatch.cli.rules.RulesCommand;
import org.borderwatch.cli.simulate.SimulateCommand;
import org.borderwatch.cli.tail.TailCommand;
import org.borderwatch.cli.topics.TopicsCommand;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code borderwatch} command. The {@code ./borderwatch} script at the repository root builds and runs it.
 * Exit codes (every command): 0 done, 1 the work could not be done (a service unreachable or unavailable past the
 * retry budget, no key, an unexpected error), 2 a wrong command line (unknown option, missing file, malformed URL),
 * 3 a service refused the request or some lines were not accepted.
 */
@Command(name = "borderwatch", mixinStandardHelpOptions = true, version = "borderwatch 0.1.0",
        description = "Cross-border incident alerting on Apache Kafka.",
        subcommands = {DevCommand.class, PublishCommand.class, SimulateCommand.class, TailCommand.class,
                QueryCommand.class, RulesCommand.class, TopicsCommand.class, BenchCommand.class, ChaosCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    /** Set (to anything) to print the stack trace of an unexpected error as well. */
    static final String DEBUG_ENV = "BORDERWATCH_DEBUG";

    public static void main(final String[] args) {
        System.exit(commandLine(new Main()).execute(args));
    }

    /**
     * A command line for {@code command} (the whole CLI, or one command in tests) whose errors are one line for
     * the user, never a stack trace.
     */
    public static CommandLine commandLine(final Object command) {
        return new CommandLine(command).setExecutionExceptionHandler((error, commandLine, parsed) -> {
            final String name = commandLine.getCommandSpec().qualifiedName();
            if (error instanceof CliException cli) {
                commandLine.getErr().println(name + ": " + cli.getMessage());
                return cli.exitCode();
            }
            commandLine.getErr().println(name + ": " + error.getClass().getSimpleName()
                    + (error.getMessage() == null ? "" : ": " + error.getMessage())
                    + (System.getenv(DEBUG_ENV) == null ? " (set " + DEBUG_ENV + "=1 for the stack trace)" : ""));
            if (System.getenv(DEBUG_ENV) != null) {
                error.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
    }
}
