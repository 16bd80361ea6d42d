package org.borderwatch.aggregator.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.HostInfo;
import org.borderwatch.aggregator.AggregatorTopology;
import org.borderwatch.aggregator.config.AggregatorConfig;
import org.borderwatch.aggregator.rules.api.RulesHost;
import org.borderwatch.aggregator.window.WindowSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.borderwatch.service.kafka.KafkaSettings;

/**
 * Runs the aggregator topology. Kafka Streams starts once the HTTP server listens (so the address it advertises to
 * the other instances, {@code application.server}, answers from the first rebalance on) and Kafka answers; it stops
 * when the application context closes, committing and, by default, leaving the group, so the other instances take
 * over its tasks at once rather than after the session timeout.
 *
 * <p>Settings, lowest precedence first: {@link AggregatorConfig#streamsProperties()} (exactly-once v2, explicit
 * naming, dead-letter handlers), then {@code kafka.*} / {@code kafka.streams.*}, then this instance's state
 * directory, thread count and {@code application.server}. {@code application.id} always comes from
 * {@code borderwatch.aggregator.application-id}.
 */
@Singleton
public final class StreamsHost implements ApplicationEventListener<ServerStartupEvent>, RulesHost {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsHost.class);

    private final AggregatorSettings settings;
    private final AggregatorConfig config;
    private final KafkaSettings kafka;
    private final StreamsMeters meters;
    private volatile KafkaStreams streams;
    private volatile HostInfo self;
    private volatile boolean closing;
    private volatile boolean starting;
    private volatile boolean failedToStart;
    private Thread starter;

    public StreamsHost(final AggregatorSettings settings, final KafkaSettings kafka, final StreamsMeters meters) {
        this.settings = settings;
        this.kafka = kafka;
        this.meters = meters;
        this.config = settings.toConfig(kafka.bootstrapServers());
        requireExactlyOnce(kafka.streams().get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
    }

    /**
     * The topology is only correct under exactly-once: the dedup store is not cached while the bucket stores are, so
     * under at-least-once a crash can leave an eventId remembered whose counts were never committed (the report is
     * then lost as a "duplicate"), and a replayed poison record is dead-lettered twice. The bench's at-least-once run
     * showed both. So the service refuses to start rather than run with wrong figures.
     */
    static void requireExactlyOnce(final Object guarantee) {
        if (guarantee != null && !StreamsConfig.EXACTLY_ONCE_V2.equals(String.valueOf(guarantee).strip())) {
            throw new IllegalStateException("processing.guarantee=" + guarantee + " (kafka.streams.processing.guarantee,"
                    + " KAFKA_STREAMS_PROCESSING_GUARANTEE) is not supported: the aggregator's deduplication and"
                    + " dead-letter handling are only correct with " + StreamsConfig.EXACTLY_ONCE_V2
                    + "; remove the setting");
        }
    }

    @Override
    public synchronized void onApplicationEvent(final ServerStartupEvent event) {
        if (streams != null || closing) {
            return;
        }
        final EmbeddedServer server = (EmbeddedServer) event.getSource();
        final String advertised = settings.applicationServer() == null || settings.applicationServer().isBlank()
                ? server.getHost() + ":" + server.getPort() : settings.applicationServer().strip();
        final String stateDir = settings.stateDir() == null || settings.stateDir().isBlank()
                ? Path.of(System.getProperty("java.io.tmpdir"), "borderwatch-aggregator-" + server.getPort()).toString()
                : settings.stateDir();
        final Properties properties = streamsProperties(advertised, stateDir);
        final Topology topology = AggregatorTopology.build(config);
        final KafkaStreams created = new KafkaStreams(topology, properties);
        created.setStateListener((next, previous) ->
                LOG.info("Kafka Streams {} -> {} (application.id {}, this instance {})", previous, next,
                        config.applicationId(), advertised));
        created.setUncaughtExceptionHandler(new ThreadReplacement(System::nanoTime));
        meters.bind(created);
        self = HostInfo.buildFromEndpoint(advertised);
        streams = created;
        LOG.info("Starting the aggregator: application.id {}, bootstrap {}, {} (commit every {} ms), {} stream"
                        + " threads, state dir {}, application.server {}, windows {}", config.applicationId(),
                config.bootstrapServers(), properties.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG),
                properties.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG),
                properties.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG), stateDir, advertised,
                config.windows().stream().map(WindowSpec::name).toList());
        starter = new Thread(() -> start(created), "kafka-streams-starter");
        starter.setDaemon(true);
        starter.start();
    }

    /**
     * Starts Kafka Streams once Kafka answers. {@link KafkaStreams#start()} blocks until the global rules store is
     * restored, and {@link KafkaStreams#close} waits for it; with Kafka unreachable that is {@code task.timeout.ms}
     * (5 minutes). Waiting for the cluster first keeps the HTTP server up meanwhile (health DOWN, queries 503) and
     * lets a shutdown proceed at once.
     */
    private void start(final KafkaStreams created) {
        boolean warned = false;
        try (Admin admin = Admin.create(kafka.admin())) {
            while (!closing) {
                try {
                    admin.describeCluster(new DescribeClusterOptions().timeoutMs(
                            (int) settings.healthTimeout().toMillis())).nodes().get();
                    break;
                } catch (final ExecutionException e) {
                    if (!warned) {
                        LOG.warn("Kafka at {} does not answer ({}); Kafka Streams starts once it does",
                                config.bootstrapServers(), e.getCause().getMessage());
                        warned = true;
                    }
                }
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        synchronized (this) {
            if (closing) {
                return;
            }
            starting = true;
        }
        try {
            created.start();
        } catch (final RuntimeException e) {
            LOG.error("Kafka Streams did not start: {}; this instance processes nothing until it is restarted"
                    + " (/health/liveness is DOWN)", e.toString(), e);
            failedToStart = true;
        }
    }

    Properties streamsProperties(final String advertised, final String stateDir) {
        final Properties properties = config.streamsProperties();
        final Map<String, Object> overrides = kafka.streams();
        final Object appId = overrides.remove(StreamsConfig.APPLICATION_ID_CONFIG);
        if (appId != null) {
            LOG.warn("Ignoring kafka application.id={}: the aggregator's is borderwatch.aggregator.application-id ({})",
                    appId, config.applicationId());
        }
        properties.putAll(overrides);
        requireExactlyOnce(properties.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.streamThreads());
        properties.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertised);
        return properties;
    }

    /** The running Kafka Streams, or empty before the HTTP server started. */
    public Optional<KafkaStreams> streams() {
        return Optional.ofNullable(streams);
    }

    /** Kafka Streams' state; {@code CREATED} until it was started. */
    public KafkaStreams.State state() {
        final KafkaStreams current = streams;
        return current == null ? KafkaStreams.State.CREATED : current.state();
    }

    /** The {@code application.server} this instance advertises, or null before it started. */
    public HostInfo self() {
        return self;
    }

    public AggregatorConfig config() {
        return config;
    }

    @Override
    public List<WindowSpec> windows() {
        return config.windows();
    }

    @Override
    public Duration retryAfter() {
        return settings.retryAfter();
    }

    /** Whether {@link KafkaStreams#start()} failed: the instance will not process until restarted. */
    public boolean failedToStart() {
        return failedToStart;
    }

    @PreDestroy
    public void close() throws InterruptedException {
        final Thread startThread;
        synchronized (this) {
            closing = true;
            startThread = starter;
        }
        if (startThread != null) {
            startThread.interrupt();
            startThread.join(settings.healthTimeout().toMillis() * 2);
        }
        final KafkaStreams current = streams;
        if (current == null) {
            return;
        }
        if (!starting) {
            // Never started: nothing to commit, no group to leave.
            current.close(Duration.ZERO);
            return;
        }
        final CloseOptions.GroupMembershipOperation membership = settings.leaveGroupOnClose()
                ? CloseOptions.GroupMembershipOperation.LEAVE_GROUP
                : CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP;
        LOG.info("Stopping Kafka Streams (commit, {}; at most {})", settings.leaveGroupOnClose() ? "leave the group"
                : "stay in the group until the session times out", settings.closeTimeout());
        final boolean closed = current.close(CloseOptions.groupMembershipOperation(membership)
                .withTimeout(settings.closeTimeout()));
        if (!closed) {
            LOG.warn("Kafka Streams did not close within {}; its threads are left to the JVM's exit",
                    settings.closeTimeout());
        }
    }
}
