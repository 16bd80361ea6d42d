package org.borderwatch.aggregator.service;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.micronaut.context.ApplicationContext;
import io.micronaut.inject.BeanConfiguration;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.streams.KafkaStreams;
import org.borderwatch.aggregator.host.StreamsHost;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;

/**
 * One aggregator instance in the test's JVM against a real broker: its own port, state directory and, unless the
 * test shares one, its own application.id (Kafka Streams does not leave a group's metadata behind quickly enough
 * to reuse one). Close it before the broker. The ingest module is on the test classpath; its beans stay out.
 */
final class AggregatorApp implements AutoCloseable {

    private final EmbeddedServer server;
    final Http http;

    private AggregatorApp(final EmbeddedServer server) {
        this.server = server;
        this.http = new Http("http://127.0.0.1:" + server.getPort(),
                server.getApplicationContext().getBean(JsonMapper.class));
    }

    static String uniqueApplicationId(final String name) {
        return "test-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Starts an instance; {@code properties} override application.yml (port, application-id, state-dir...). */
    static AggregatorApp start(final EmbeddedKafkaCluster kafka, final Path credentials, final Path stateDir,
                               final Map<String, Object> properties) {
        final Map<String, Object> all = new HashMap<>();
        all.put("micronaut.server.port", -1);
        all.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        all.put("borderwatch.security.credentials-file", credentials.toString());
        all.put("borderwatch.aggregator.state-dir", stateDir.toString());
        all.put("borderwatch.aggregator.stream-threads", 1);
        all.put("borderwatch.aggregator.close-timeout", "10s");
        all.putAll(properties);
        final ApplicationContext context = ApplicationContext.builder()
                .properties(all)
                .beanConfigurations(BeanConfiguration.disabled("org.borderwatch.ingest"))
                .start();
        return new AggregatorApp(context.getBean(EmbeddedServer.class).start());
    }

    /** An instance pointed at {@code bootstrapServers} where no Kafka answers; it closes within seconds. */
    static AggregatorApp startWithoutKafka(final Path credentials, final Path stateDir,
                                           final String bootstrapServers) {
        final Map<String, Object> all = new HashMap<>();
        all.put("micronaut.server.port", -1);
        all.put("kafka.bootstrap.servers", bootstrapServers);
        all.put("borderwatch.security.credentials-file", credentials.toString());
        all.put("borderwatch.aggregator.application-id", uniqueApplicationId("no-kafka"));
        all.put("borderwatch.aggregator.state-dir", stateDir.toString());
        all.put("borderwatch.aggregator.stream-threads", 1);
        all.put("borderwatch.aggregator.close-timeout", "1s");
        all.put("kafka.producer.max.block.ms", "500");
        final ApplicationContext context = ApplicationContext.builder()
                .properties(all)
                .beanConfigurations(BeanConfiguration.disabled("org.borderwatch.ingest"))
                .start();
        return new AggregatorApp(context.getBean(EmbeddedServer.class).start());
    }

    int port() {
        return server.getPort();
    }

    String endpoint() {
        return "127.0.0.1:" + port();
    }

    /** A port nobody listens on right now, to give an instance before it starts (its application.server). */
    static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    ApplicationContext context() {
        return server.getApplicationContext();
    }

    KafkaStreams.State state() {
        return context().getBean(StreamsHost.class).state();
    }

    @Override
    public void close() {
        server.getApplicationContext().close();
    }
}
