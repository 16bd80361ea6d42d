package org.borderwatch.cli;

import org.borderwatch.cli.dev.DevCommand;
import org.borderwatch.cli.publish.PublishCommand;
import org.borderwatch.cli.query.QueryCommand;
import org.borderwatch.cli.rules.RulesCommand;
import org.borderwatch.cli.simulate.SimulateCommand;
import org.borderwatch.cli.tail.TailCommand;
import org.borderwatch.cli.topics.TopicsCommand;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code borderwatch} command. The {@code ./borderwatch} script at the repository root builds and runs it. */
@Command(name = "borderwatch", mixinStandardHelpOptions = true, version = "borderwatch 0.1.0",
        description = "Cross-border incident alerting on Apache Kafka.",
        subcommands = {DevCommand.class, PublishCommand.class, SimulateCommand.class, TailCommand.class,
                QueryCommand.class, RulesCommand.class, TopicsCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(final String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
