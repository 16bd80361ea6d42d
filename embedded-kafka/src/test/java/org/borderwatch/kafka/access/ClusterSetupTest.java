package org.borderwatch.kafka.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.kafka.embedded.Security;
import org.borderwatch.schemas.Topic;
import org.borderwatch.schemas.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deployment job against a secured broker that knows only its super user and has no topics: the state a
 * fresh compose cluster is in when the job runs.
 */
class ClusterSetupTest {

    private static EmbeddedKafkaCluster kafka;
    private static Map<String, String> env;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafkaCluster.builder()
                .security(Security.saslSsl().accessPolicy(new AccessPolicy(List.of())))
                .build().start();
        env = new HashMap<>();
        kafka.clientProperties(AccessPolicy.ADMIN).forEach((key, value) ->
                env.put("KAFKA_" + key.toUpperCase(Locale.ROOT).replace('.', '_'), String.valueOf(value)));
        env.put(ClusterSetup.PASSWORD_PREFIX + "ADMIN", password(kafka.clientProperties(AccessPolicy.ADMIN)));
        for (final String user : AccessPolicy.BORDERWATCH.names()) {
            env.put(ClusterSetup.PASSWORD_PREFIX + user.toUpperCase(Locale.ROOT), user + "-password-0123456789");
        }
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void shouldCreateTopicsUsersAndAclsAndRemoveStaleAclsWhenRunAsTheDeploymentJob() throws Exception {
        // Given an ACL that the policy does not grant, ingest writing alerts, visible on the broker
        final AclBinding stale = new AclBinding(
                new ResourcePattern(ResourceType.TOPIC, Topics.ALERTS.name(), PatternType.LITERAL),
                new AccessControlEntry("User:" + AccessPolicy.INGEST, "*", AclOperation.WRITE,
                        AclPermissionType.ALLOW));
        try (Admin admin = Admin.create(kafka.clientProperties(AccessPolicy.ADMIN))) {
            admin.createAcls(List.of(stale)).all().get();
            // Brokers answer describeAcls from their copy of the metadata, a moment behind the controller.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(admin.describeAcls(AclBindingFilter.ANY).values().get()).contains(stale));
        }

        // When the job runs, twice
        final Run first = run();
        final Run second = run();

        // Then it created every topic once and succeeded both times
        assertThat(first.exit).as(first.err).isZero();
        assertThat(first.out).contains("Topics created: [").contains(Topics.INCIDENTS.name());
        assertThat(second.exit).as(second.err).isZero();
        assertThat(second.out).contains("Topics created: none (all exist)");
        try (Admin admin = Admin.create(kafka.clientProperties(AccessPolicy.ADMIN))) {
            assertThat(admin.listTopics().names().get())
                    .containsAll(Topics.ALL.stream().map(Topic::name).toList());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(admin.describeAcls(AclBindingFilter.ANY).values().get())
                            .containsExactlyInAnyOrderElementsOf(AccessPolicy.BORDERWATCH.aclBindings()));
        }

        // And ingest, with the password from the environment, writes incidents but no longer alerts
        try (KafkaProducer<String, String> ingest = producer(AccessPolicy.INGEST)) {
            ingest.send(new ProducerRecord<>(Topics.INCIDENTS.name(), "TJ-KT", "incident")).get(30, TimeUnit.SECONDS);
            assertThatThrownBy(() -> ingest.send(new ProducerRecord<>(Topics.ALERTS.name(), "a", "forged"))
                    .get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void shouldRefuseToRunWhenAPasswordIsMissingOrShort() {
        final Map<String, String> incomplete = new HashMap<>(env);
        incomplete.remove(ClusterSetup.PASSWORD_PREFIX + "ENGINEER");
        incomplete.put(ClusterSetup.PASSWORD_PREFIX + "ALERT", "short");

        final Run run = run(incomplete);

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err).contains("BORDERWATCH_KAFKA_PASSWORD_ENGINEER is not set")
                .contains("BORDERWATCH_KAFKA_PASSWORD_ALERT is shorter than 16 characters")
                .doesNotContain("short\n");
    }

    @Test
    void shouldPrintThePolicyWhenAskedTo() {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int exit = ClusterSetup.run(new String[]{"--print"}, Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

        assertThat(exit).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("User:ingest WRITE TOPIC LITERAL border.incidents.v1")
                .contains("User:aggregator ALL TRANSACTIONAL_ID PREFIXED borderwatch-aggregator");
    }

    private static Run run() {
        return run(env);
    }

    private static Run run(final Map<String, String> environment) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit = ClusterSetup.run(new String[]{"--replication-factor", "1", "--min-insync-replicas", "1",
                        "--wait", "30"}, environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static KafkaProducer<String, String> producer(final String user) {
        final Map<String, Object> props = new HashMap<>(kafka.clientProperties(AccessPolicy.ADMIN));
        props.put(SaslConfigs.SASL_JAAS_CONFIG, ClusterAccess.jaasConfig(user,
                env.get(ClusterSetup.PASSWORD_PREFIX + user.toUpperCase(Locale.ROOT))));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static String password(final Map<String, Object> client) {
        final Matcher matcher = Pattern.compile("password=\"([^\"]+)\"")
                .matcher(String.valueOf(client.get(SaslConfigs.SASL_JAAS_CONFIG)));
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }

    private record Run(int exit, String out, String err) {
    }
}
