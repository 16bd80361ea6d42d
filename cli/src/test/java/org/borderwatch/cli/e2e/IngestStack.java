package org.borderwatch.cli.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.borderwatch.cli.dev.DemoCredentials;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

/**
 * What the CLI's end-to-end tests publish to: a real single-node broker with the registry's topics and the real
 * ingest service on an ephemeral port, with the dev stack's demo credentials. Closing it stops the service, then
 * the broker.
 */
final class IngestStack implements AutoCloseable {

    final EmbeddedKafkaCluster kafka;
    private final EmbeddedServer ingest;
    private final Map<String, String> keys;

    /** @param properties more ingest configuration, e.g. {@code borderwatch.ingest.retry-after} */
    IngestStack(final Path state, final Map<String, Object> properties) throws IOException {
        kafka = EmbeddedKafkaCluster.builder().brokers(1).build().start();
        kafka.createTopics();
        keys = DemoCredentials.ensure(state).stream()
                .collect(Collectors.toMap(DemoCredentials.DemoKey::name, DemoCredentials.DemoKey::key));
        final Map<String, Object> config = new HashMap<>(properties);
        config.put("micronaut.server.port", -1);
        config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        config.put("borderwatch.security.credentials-file", DemoCredentials.credentialsFile(state).toString());
        ingest = ApplicationContext.run(EmbeddedServer.class, config);
    }

    String url() {
        return "http://127.0.0.1:" + ingest.getPort();
    }

    /** The demo key of a principal, e.g. {@code tj-border-guard}. */
    String key(final String principal) {
        return keys.get(principal);
    }

    /** A file of examples/ at the repository root (tests run in the module folder). */
    static String example(final String name) {
        return Path.of("..", "examples", name).toString();
    }

    @Override
    public void close() {
        ingest.getApplicationContext().close();
        kafka.close();
    }
}
