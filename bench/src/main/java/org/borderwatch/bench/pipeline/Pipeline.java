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
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.borderwatch.credentials.SecretKeyRing;
import org.borderwatch.launcher.Service;
import org.borderwatch.launcher.ServiceLauncher;
import org.borderwatch.launcher.ServiceProcess;
import org.borderwatch.schemas.Topics;

/**
 * The whole borderwatch path as child processes, each from its own packaged {@code target/} (see
 * {@link ServiceLauncher}): ingest, one aggregator, and one or more alert-service instances of one deployment (same
 * lifecycle application id and webhook group, own state directory each), all on 127.0.0.1 against the given broker.
 * Application ids and group ids are unique per pipeline, so pipelines on one broker do not share state. Closing it
 * stops every process it started (SIGTERM, then SIGKILL), by its handle.
 */
public final class Pipeline implements AutoCloseable {

    /** The aggregator's default windows and a 1-minute tumbling window (a quiet border resolves within a minute). */
    public static final String MINUTE_WINDOWS = "PT1M,PT1H,PT24H/PT1H,P7D/P1D";
    /** The aggregator's default windows. */
    public static final String DEFAULT_WINDOWS = "PT1H,PT24H/PT1H,P7D/P1D";

    /** Generous: on a 2-core machine shared with other builds a service has been seen to take over 90 s to start. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
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

    private final String bootstrapServers;
    private final Path dir;
    private final Settings settings;
    private final Credentials credentials;
    private final String unique = UUID.randomUUID().toString().substring(0, 8);
    private final ServiceLauncher alertLauncher;
    private final List<ServiceProcess> started = new ArrayList<>();
    private final List<ServiceProcess> alerts = new ArrayList<>();
    private ServiceProcess ingest;
    private ServiceProcess aggregator;

    private Pipeline(final String bootstrapServers, final Path dir, final Settings settings) {
        this.bootstrapServers = bootstrapServers;
        this.dir = dir;
        this.settings = settings;
        this.credentials = Credentials.write(dir);
        this.alertLauncher = launcher(Service.ALERT);
    }

    /**
     * Starts ingest, the aggregator and {@code alertInstances} (0 or more) alert services in parallel and waits until
     * every one answers {@code /health} with 200 and the alert instances own the webhook group's partitions.
     *
     * @param dir logs ({@code <service>-<n>.log}), credentials and state directories
     */
    public static Pipeline start(final String bootstrapServers, final Path dir, final Settings settings,
                                 final int alertInstances) {
        final Pipeline pipeline = new Pipeline(bootstrapServers, dir, settings);
        try {
            final Map<String, String> aggregatorEnv = new LinkedHashMap<>();
            aggregatorEnv.put("BORDERWATCH_AGGREGATOR_APPLICATION_ID", "bench-aggregator-" + pipeline.unique);
            aggregatorEnv.put("BORDERWATCH_AGGREGATOR_STATE_DIR", dir.resolve("aggregator-state").toString());
            aggregatorEnv.put("BORDERWATCH_AGGREGATOR_WINDOWS", settings.windows());
            aggregatorEnv.putAll(settings.aggregatorEnv());
            pipeline.aggregator = pipeline.track(pipeline.launcher(Service.AGGREGATOR)
                    .start(bootstrapServers, "512m", List.of(), aggregatorEnv));
            pipeline.ingest = pipeline.track(pipeline.launcher(Service.INGEST)
                    .start(bootstrapServers, "256m", List.of(), Map.of()));
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

    private ServiceProcess launchAlert() {
        final Map<String, String> env = new LinkedHashMap<>();
        env.put("BORDERWATCH_ALERT_LIFECYCLE_APPLICATION_ID", "bench-alert-lifecycle-" + unique);
        env.put("BORDERWATCH_ALERT_WEBHOOKS_GROUP_ID", webhookGroup());
        // The test's webhook receiver listens on 127.0.0.1.
        env.put("BORDERWATCH_ALERT_WEBHOOKS_ALLOW_LOOPBACK", "true");
        env.put("KAFKA_STREAMS_STATE_DIR", dir.resolve("alert-state-" + (alerts.size() + 1)).toString());
        // The console's map and region views are proxied to this pipeline's aggregator with the ops-center key
        // (regions "*"), the alert service's own credential there.
        env.put("BORDERWATCH_ALERT_CONSOLE_AGGREGATOR_URL", aggregator.baseUri().toString());
        env.put("BORDERWATCH_ALERT_CONSOLE_AGGREGATOR_API_KEY", credentials.opsKey());
        // The webhook-secret key of this run, kept in its directory so every alert instance reads the same.
        try {
            env.put(SecretKeyRing.ENV, SecretKeyRing.ensureFile(dir.resolve("secret-keys")));
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot make the webhook-secret key in " + dir, e);
        }
        env.putAll(settings.alertEnv());
        return alertLauncher.start(bootstrapServers, "384m", List.of(), env);
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
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
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
        return "bench-alert-webhooks-" + unique;
    }

    public Credentials credentials() {
        return credentials;
    }

    public ServiceProcess ingest() {
        return ingest;
    }

    public ServiceProcess aggregator() {
        return aggregator;
    }

    public List<ServiceProcess> alerts() {
        return List.copyOf(alerts);
    }

    public Api ingestApi() {
        return new Api(ingest.baseUri());
    }

    public Api aggregatorApi() {
        return new Api(aggregator.baseUri());
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
