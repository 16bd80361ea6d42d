package org.borderwatch.cli.topics;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.borderwatch.cli.CliException;
import org.borderwatch.schemas.Topic;
import org.borderwatch.schemas.TopicProvisioner;
import org.borderwatch.schemas.Topics;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Creates the registry's topics on a cluster (idempotent), or lists them with their layout and presence. */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Create (idempotent) or list the topics of the registry on a Kafka cluster.")
public final class TopicsCommand implements Callable<Integer> {

    @Parameters(index = "0", defaultValue = "list", description = "create or list (default: ${DEFAULT-VALUE})")
    String action;

    @Option(names = "--bootstrap-servers", defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE})")
    String bootstrapServers;

    @Option(names = "--replication-factor", defaultValue = "1", description = "For create (default: ${DEFAULT-VALUE})")
    short replicationFactor;

    @Option(names = "--min-insync-replicas", defaultValue = "1", description = "For create (default: ${DEFAULT-VALUE})")
    int minInSync;

    @Override
    public Integer call() throws Exception {
        final Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // A person is waiting: say within seconds that no broker answers, not after the default minute.
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        try (Admin admin = Admin.create(props)) {
            return run(admin);
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof TimeoutException) {
                throw CliException.kafkaUnreachable(bootstrapServers);
            }
            throw e;
        } catch (final TimeoutException e) {
            throw CliException.kafkaUnreachable(bootstrapServers);
        }
    }

    private int run(final Admin admin) throws Exception {
        if ("create".equals(action)) {
            final List<String> created = TopicProvisioner.ensureTopics(admin, replicationFactor, minInSync);
            System.out.println(created.isEmpty() ? "All topics exist." : "Created " + created);
            return 0;
        }
        if (!"list".equals(action)) {
            System.err.println("Unknown action " + action + ": use create or list");
            return 2;
        }
        final Set<String> existing = admin.listTopics().names().get();
        System.out.printf("%-30s %-10s %-8s %s%n", "topic", "exists", "parts", "config");
        for (final Topic<?, ?> topic : Topics.ALL) {
            System.out.printf("%-30s %-10s %-8d %s%n", topic.name(), existing.contains(topic.name()) ? "yes" : "NO",
                    topic.partitions(), Map.copyOf(topic.configs()));
        }
        return 0;
    }
}
