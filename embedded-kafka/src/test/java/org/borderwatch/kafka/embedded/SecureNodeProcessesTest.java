package org.borderwatch.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.utils.Utils;
import org.borderwatch.kafka.access.AccessPolicy;
import org.borderwatch.kafka.access.ClusterAccess;
import org.borderwatch.schemas.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The SASL_SSL three-node cluster with each node its own process ({@link KafkaNodeProcesses}), one for the whole
 * class: the security files made once before the nodes, the policy applied once after, real TLS handshakes, SCRAM
 * exchanges and ACL checks by the brokers, and a SIGKILLed node that comes back with the same certificate and users.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SecureNodeProcessesTest {

    private static final Duration REFUSAL = Duration.ofSeconds(10);

    private static Path dir;
    private static KafkaNodeProcesses kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        dir = Files.createTempDirectory("borderwatch-secure-node-processes-");
        kafka = KafkaNodeProcesses.start(3, dir.resolve("data"), dir.resolve("logs"), "256m",
                Security.saslSsl());
        kafka.createTopics();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
        Utils.delete(dir.toFile());
    }

    @Test
    void shouldProduceAndConsumeOverSaslSslWhenEachClientLogsInAsItsOwnPrincipal() throws Exception {
        // Given ingest's settings: SASL_SSL with SCRAM-SHA-512, also written owner-only for other programs
        final Map<String, Object> ingest = kafka.clientProperties(AccessPolicy.INGEST);
        assertThat(ingest).containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL")
                .containsEntry(SaslConfigs.SASL_MECHANISM, ClusterAccess.SCRAM_MECHANISM)
                .containsEntry(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        final Path file = dir.resolve("data").resolve(SecurityFiles.DIR).resolve("client-ingest.properties");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        // When ingest writes reports with acks=all
        final List<String> values = List.of("TJ-GB-1", "TJ-GB-2", "TJ-KT-1");
        try (KafkaProducer<String, String> producer = producer(ingest)) {
            for (final String value : values) {
                producer.send(new ProducerRecord<>(Topics.INCIDENTS.name(), value, value)).get(30, TimeUnit.SECONDS);
            }
        }

        // Then the aggregator reads them in a group of its prefix, and the topic has three replicas in sync
        assertThat(TestClients.consume(kafka.clientProperties(AccessPolicy.AGGREGATOR),
                AccessPolicy.AGGREGATOR_PREFIX + "-node-processes-test", Topics.INCIDENTS.name(), values.size(),
                IsolationLevel.READ_COMMITTED)).containsExactlyInAnyOrderElementsOf(values);
        try (Admin admin = Admin.create(kafka.clientProperties(AccessPolicy.ADMIN))) {
            final TopicDescription incidents = admin.describeTopics(List.of(Topics.INCIDENTS.name()))
                    .allTopicNames().get(30, TimeUnit.SECONDS).get(Topics.INCIDENTS.name());
            assertThat(incidents.partitions()).allSatisfy(partition -> assertThat(partition.replicas()).hasSize(3));
        }
    }

    @Test
    void shouldFailAuthenticationWhenThePasswordIsWrong() {
        final Map<String, Object> props = new HashMap<>(kafka.clientProperties(AccessPolicy.INGEST));
        props.put(SaslConfigs.SASL_JAAS_CONFIG, ClusterAccess.jaasConfig(AccessPolicy.INGEST, "not-the-password"));
        try (Admin admin = Admin.create(props)) {
            assertThatThrownBy(() -> admin.describeCluster(new DescribeClusterOptions()
                    .timeoutMs((int) REFUSAL.toMillis())).clusterId().get())
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void shouldRefuseIngestWhenItWritesATopicOtherThanTheInputs() {
        try (KafkaProducer<String, String> producer = producer(kafka.clientProperties(AccessPolicy.INGEST))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.ALERTS.name(), "k", "forged alert"))
                    .get(REFUSAL.toSeconds(), TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void shouldAuthenticateUsersOnAKilledNodeWhenItsProcessIsStartedAgain() throws Exception {
        // Given node 1's process, SIGKILLed and started again (it reads the security files, makes nothing)
        final long pid = kafka.pid(1);
        kafka.kill(1);
        assertThat(kafka.isAlive(1)).isFalse();
        kafka.startNode(1);
        assertThat(kafka.pid(1)).isNotEqualTo(pid);

        // When the aggregator logs in to that node alone
        final Map<String, Object> props = new HashMap<>(kafka.clientProperties(AccessPolicy.AGGREGATOR));
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafka.port(1));
        try (Admin admin = Admin.create(props)) {
            // Then it is accepted and sees all three brokers
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).extracting(Node::id)
                    .containsExactlyInAnyOrder(0, 1, 2);
        }
    }

    private static KafkaProducer<String, String> producer(final Map<String, Object> client) {
        final Map<String, Object> props = new HashMap<>(client);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, TestClients.STRING_SERIALIZER);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, TestClients.STRING_SERIALIZER);
        return new KafkaProducer<>(props);
    }
}
