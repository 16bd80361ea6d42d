package org.borderwatch.bench.pipeline;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.borderwatch.bench.process.HeapFigures;
import org.borderwatch.bench.process.ProcessMemory;
import org.borderwatch.credentials.SecretKeyRing;
import org.borderwatch.kafka.access.AccessPolicy;
import org.borderwatch.kafka.embedded.ClientSettings;
import org.borderwatch.launcher.Service;
import org.borderwatch.launcher.ServiceLauncher;
import org.borderwatch.launcher.ServiceProcess;
import org.borderwatch.schemas.Topics;

/**
 * The whole borderwatch path as child processes, each from its own packaged {@code target/} (see
 * {@link ServiceLauncher}): ingest, one or more aggregator instances and one or more alert-service instances of one
 * deployment (same application ids and webhook group, own state directory and HTTP port each), all on 127.0.0.1
 * against the given cluster. On a SASL_SSL cluster each service logs in as its own principal of the access policy
 * ({@code ingest}, {@code aggregator}, {@code alert}); application ids and group ids are unique per pipeline but
 * within the policy's prefixes, so pipelines on one cluster do not share state and the ACLs hold for them. Closing
 * it stops every process it started (SIGTERM, then SIGKILL), by its handle.
 */
public final class Pipeline implements AutoCloseable {

    /** The aggregator's default windows and a 1-minute tumbling window (a quiet border resolves within a minute). */
    public static final String MINUTE_WINDOWS = "PT1M,PT1H,PT24H/PT1H,P7D/P1D";
    /** The aggregator's default windows. */
    public static final String DEFAULT_WINDOWS = "PT1H,PT24H/PT1H,P7D/P1D";

    /**
     * Generous: on a 2-core machine shared with other builds a service has been seen to take over 90 s to start,
     * and 2.5 min from {@code java} to its first log line at a load average of 60.
     */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(300);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

    /**
     * @param windows       {@code borderwatch.aggregator.windows}
     * @param aggregatorEnv more aggregator configuration (environment variables), e.g. the punctuation interval
     * @param alertEnv      more alert-service configuration
     */
    public record Settings(String windows, Map<String, String> aggregatorEnv, Map<String, String> alertEnv) {

        public Settings {
            aggregatorEnv = Map.copyOf(aggregatorEnv);
            alertEnv = Map.copyOf(alertEnv);
        }
    }

    private final ClientSettings kafka;
    private final Path dir;
    private final Settings settings;
    private final Credentials credentials;
    private final String unique = UUID.randomUUID().toString().substring(0, 8);
    private final ServiceLauncher alertLauncher;
    private final List<ServiceProcess> started = new ArrayList<>();
    private final List<ServiceProcess> alerts = new ArrayList<>();
    private final List<ServiceProcess> aggregators = new ArrayList<>();
    private final ServiceLauncher aggregatorLauncher;
    private ServiceProcess ingest;

    private Pipeline(final ClientSettings kafka, final Path dir, final Settings settings) {
        this.kafka = kafka;
        this.dir = dir;
        this.settings = settings;
        this.credentials = Credentials.write(dir);
        this.alertLauncher = launcher(Service.ALERT);
        this.aggregatorLauncher = launcher(Service.AGGREGATOR);
    }

    /**
     * Starts ingest, the aggregator and {@code alertInstances} (0 or more) alert services in parallel and waits until
     * every one answers {@code /health} with 200 and the alert instances own the webhook group's partitions.
     *
     * @param dir logs ({@code <service>-<n>.log}), credentials and state directories
     */
    public static Pipeline start(final String bootstrapServers, final Path dir, final Settings settings,
                                 final int alertInstances) {
        return start(user -> Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), dir, settings,
                1, alertInstances);
    }

    /**
     * As {@link #start(String, Path, Settings, int)} on an embedded cluster, in this JVM or as node processes,
     * plaintext or SASL_SSL (each service then connects as its own principal), with {@code aggregatorInstances}
     * aggregators of one application id.
     */
    public static Pipeline start(final ClientSettings kafka, final Path dir, final Settings settings,
                                 final int aggregatorInstances, final int alertInstances) {
        final Pipeline pipeline = new Pipeline(kafka, dir, settings);
        try {
            for (int i = 0; i < aggregatorInstances; i++) {
                pipeline.aggregators.add(pipeline.track(pipeline.launchAggregator()));
            }
            pipeline.ingest = pipeline.track(pipeline.launcher(Service.INGEST)
                    .start(pipeline.bootstrapServers(), "256m", pipeline.gcLogging("ingest"),
                            pipeline.kafkaEnv(AccessPolicy.INGEST)));
            for (int i = 0; i < alertInstances; i++) {
                pipeline.alerts.add(pipeline.track(pipeline.launchAlert()));
            }
            for (final ServiceProcess process : List.copyOf(pipeline.started)) {
                pipeline.awaitHealthy(process);
            }
            if (alertInstances > 0) {
                pipeline.awaitWebhookDispatch();
            }
            return pipeline;
        } catch (final RuntimeException e) {
            pipeline.close();
            throw e;
        }
    }

    /** One more alert instance of the same deployment; returns once it is healthy and owns webhook partitions. */
    public ServiceProcess startAlertInstance() {
        final ServiceProcess alert = track(launchAlert());
        alerts.add(alert);
        awaitHealthy(alert);
        awaitWebhookDispatch();
        return alert;
    }

    /** One more aggregator instance of the same application; returns once it is healthy. */
    public ServiceProcess startAggregatorInstance() {
        final ServiceProcess aggregator = track(launchAggregator());
        aggregators.add(aggregator);
        awaitHealthy(aggregator);
        return aggregator;
    }

    /** The aggregators' application id: their consumer group, whose committed offsets show how far they got. */
    public String aggregatorApplicationId() {
        return AccessPolicy.AGGREGATOR_PREFIX + "-bench-" + unique;
    }

    private ServiceProcess launchAggregator() {
        final Map<String, String> env = kafkaEnv(AccessPolicy.AGGREGATOR);
        // Within the aggregator principal's prefix: it owns the group, internal topics and transactional ids.
        env.put("BORDERWATCH_AGGREGATOR_APPLICATION_ID", aggregatorApplicationId());
        env.put("BORDERWATCH_AGGREGATOR_STATE_DIR",
                dir.resolve("aggregator-state-" + (aggregators.size() + 1)).toString());
        env.put("BORDERWATCH_AGGREGATOR_WINDOWS", settings.windows());
        env.putAll(settings.aggregatorEnv());
        return aggregatorLauncher.start(bootstrapServers(), "512m",
                gcLogging("aggregator-" + (aggregators.size() + 1)), env);
    }

    /**
     * A new alert instance of the same deployment in place of one that was killed; returns once it is healthy and
     * the webhook group has settled on the live instances (the dead member leaves at its session timeout).
     */
    public ServiceProcess replaceAlertInstance(final ServiceProcess dead) {
        final ServiceProcess alert = track(launchAlert());
        alerts.set(alerts.indexOf(dead), alert);
        awaitHealthy(alert);
        awaitWebhookDispatch();
        return alert;
    }

    private ServiceProcess launchAlert() {
        final Map<String, String> env = kafkaEnv(AccessPolicy.ALERT);
        env.put("BORDERWATCH_ALERT_LIFECYCLE_APPLICATION_ID", AccessPolicy.ALERT_PREFIX + "lifecycle-bench-" + unique);
        env.put("BORDERWATCH_ALERT_WEBHOOKS_GROUP_ID", webhookGroup());
        // The test's webhook receiver listens on 127.0.0.1.
        env.put("BORDERWATCH_ALERT_WEBHOOKS_ALLOW_LOOPBACK", "true");
        env.put("KAFKA_STREAMS_STATE_DIR", dir.resolve("alert-state-" + (alerts.size() + 1)).toString());
        // The console's map and region views are proxied to this pipeline's aggregator with the ops-center key
        // (regions "*"), the alert service's own credential there.
        env.put("BORDERWATCH_ALERT_CONSOLE_AGGREGATOR_URL", aggregator().baseUri().toString());
        env.put("BORDERWATCH_ALERT_CONSOLE_AGGREGATOR_API_KEY", credentials.opsKey());
        // The webhook-secret key of this run, kept in its directory so every alert instance reads the same.
        try {
            env.put(SecretKeyRing.ENV, SecretKeyRing.ensureFile(dir.resolve("secret-keys")));
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot make the webhook-secret key in " + dir, e);
        }
        env.putAll(settings.alertEnv());
        return alertLauncher.start(bootstrapServers(), "384m", gcLogging("alert-" + (alerts.size() + 1)), env);
    }

    private String bootstrapServers() {
        return (String) kafka.clientProperties(AccessPolicy.ADMIN).get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    }

    /**
     * A principal's Kafka client settings as the services take them, {@code KAFKA_<NAME>} ({@code sasl.jaas.config}
     * → {@code KAFKA_SASL_JAAS_CONFIG}): every Kafka client of the service gets them.
     */
    private Map<String, String> kafkaEnv(final String principal) {
        final Map<String, String> env = new LinkedHashMap<>();
        kafka.clientProperties(principal).forEach((name, value) -> env.put(
                "KAFKA_" + name.toUpperCase(Locale.ROOT).replace('.', '_'), String.valueOf(value)));
        return env;
    }

    /** A GC log per process ({@code <name>-gc.log}): its peak heap, see {@link #peakMemory}. */
    private List<String> gcLogging(final String name) {
        return List.of(HeapFigures.gcLogOption(dir.resolve(name + "-gc.log")));
    }

    /**
     * Peak used heap of one of its processes (the largest occupancy before a collection in its GC log) and peak
     * resident memory (the kernel's high-water mark): {@code [heap, rss]}, -1 where unknown. Read it before
     * {@link #close()}: the kernel forgets a process once it exited.
     */
    public long[] peakMemory(final ServiceProcess process) {
        final String name = process == ingest ? "ingest"
                : aggregators.contains(process) ? "aggregator-" + (aggregators.indexOf(process) + 1)
                : "alert-" + (alerts.indexOf(process) + 1);
        return new long[] {HeapFigures.peakFromGcLog(dir.resolve(name + "-gc.log")).orElse(-1),
                ProcessMemory.peakRss(process.pid()).orElse(-1)};
    }

    private ServiceLauncher launcher(final Service service) {
        return ServiceLauncher.of(service, service.defaultHome(), dir, credentials.file());
    }

    private ServiceProcess track(final ServiceProcess process) {
        started.add(process);
        return process;
    }

    private void awaitHealthy(final ServiceProcess process) {
        final Api api = new Api(process.baseUri());
        await("/health of " + process.name() + " #" + process.number() + " (log " + process.log() + ")")
                .atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(process.name() + " #" + process.number()
                                + " exited; see " + process.log());
                    }
                    return api.isUp("/health");
                });
    }

    /**
     * Until the webhook group is stable with one member per alert instance, every member owns partitions of
     * {@code border.alerts.v1}, together all of them, and each has a committed offset. A new group starts at the end
     * of the log, so changes written before would not be dispatched.
     */
    private void awaitWebhookDispatch() {
        try (Admin admin = Admin.create(kafka.clientProperties(AccessPolicy.ADMIN))) {
            final int partitions = admin.describeTopics(List.of(Topics.ALERTS.name())).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get(Topics.ALERTS.name()).partitions().size();
            await("webhook group " + webhookGroup() + " with " + alerts.size() + " members owning " + partitions
                    + " partitions").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(250)).until(() -> {
                        final ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(webhookGroup()))
                                .describedGroups().get(webhookGroup()).get(5, TimeUnit.SECONDS);
                        if (group.groupState() != GroupState.STABLE || group.members().size() != alerts.size()) {
                            return false;
                        }
                        final Set<TopicPartition> assigned = new HashSet<>();
                        for (final MemberDescription member : group.members()) {
                            if (member.assignment().topicPartitions().isEmpty()) {
                                return false;
                            }
                            assigned.addAll(member.assignment().topicPartitions());
                        }
                        final Map<TopicPartition, OffsetAndMetadata> committed = admin
                                .listConsumerGroupOffsets(webhookGroup()).partitionsToOffsetAndMetadata()
                                .get(5, TimeUnit.SECONDS);
                        return assigned.size() == partitions && assigned.stream()
                                .allMatch(partition -> committed.get(partition) != null);
                    });
        } catch (final java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot describe " + Topics.ALERTS.name(), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String webhookGroup() {
        return AccessPolicy.ALERT_PREFIX + "webhooks-bench-" + unique;
    }

    public Credentials credentials() {
        return credentials;
    }

    public ServiceProcess ingest() {
        return ingest;
    }

    /** The first aggregator instance. */
    public ServiceProcess aggregator() {
        return aggregators.get(0);
    }

    public List<ServiceProcess> aggregators() {
        return List.copyOf(aggregators);
    }

    public List<ServiceProcess> alerts() {
        return List.copyOf(alerts);
    }

    public Api ingestApi() {
        return new Api(ingest.baseUri());
    }

    public Api aggregatorApi() {
        return new Api(aggregator().baseUri());
    }

    public Api aggregatorApi(final int instance) {
        return new Api(aggregators.get(instance).baseUri());
    }

    public Api alertApi(final int instance) {
        return new Api(alerts.get(instance).baseUri());
    }

    /** Creates a rule through the aggregator's rules API with the admin key; fails unless it answers 201. */
    public void createRule(final Map<String, Object> rule) {
        final HttpResponse<String> response = aggregatorApi().post("/v1/rules", credentials.adminKey(), rule);
        if (response.statusCode() != 201) {
            throw new IllegalStateException("POST /v1/rules answered " + response.statusCode() + ": "
                    + response.body());
        }
    }

    /** Publishes one incident through the ingest API with the admin key; fails unless it answers 202. */
    public HttpResponse<String> publish(final Map<String, Object> incident) {
        final HttpResponse<String> response = ingestApi().post("/v1/incidents", credentials.adminKey(), incident);
        if (response.statusCode() != 202) {
            throw new IllegalStateException("POST /v1/incidents answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response;
    }

    /** Stops every process it started, the last started first (SIGTERM, SIGKILL after 15 s). */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).stop(STOP_TIMEOUT);
        }
    }
}
