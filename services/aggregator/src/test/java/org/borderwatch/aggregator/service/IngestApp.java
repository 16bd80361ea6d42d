package org.borderwatch.aggregator.service;

import java.nio.file.Path;
import java.util.Map;

import io.micronaut.context.ApplicationContext;
import io.micronaut.inject.BeanConfiguration;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;

/**
 * The real ingest service (module borderwatch-ingest) in the test's JVM: agencies' reports reach Kafka exactly as
 * in production. The aggregator's beans, on the same classpath, stay out of its context.
 */
final class IngestApp implements AutoCloseable {

    private final EmbeddedServer server;
    final Http http;

    private IngestApp(final EmbeddedServer server) {
        this.server = server;
        this.http = new Http("http://127.0.0.1:" + server.getPort(),
                server.getApplicationContext().getBean(JsonMapper.class));
    }

    static IngestApp start(final EmbeddedKafkaCluster kafka, final Path credentials) {
        final ApplicationContext context = ApplicationContext.builder()
                .properties(Map.of("micronaut.server.port", -1,
                        "micronaut.application.name", "borderwatch-ingest",
                        "kafka.bootstrap.servers", kafka.bootstrapServers(),
                        "borderwatch.security.credentials-file", credentials.toString()))
                .beanConfigurations(BeanConfiguration.disabled("org.borderwatch.aggregator"))
                .start();
        return new IngestApp(context.getBean(EmbeddedServer.class).start());
    }

    @Override
    public void close() {
        server.getApplicationContext().close();
    }
}
