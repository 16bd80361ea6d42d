package org.borderwatch.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.borderwatch.kafka.access.AccessPolicy;
import org.borderwatch.kafka.access.ClusterAccess;
import org.borderwatch.schemas.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SASL_SSL three-node cluster (replication factor 3, min.insync.replicas 2) with the borderwatch access policy,
 * one for the whole class. Every client here goes through the real TLS handshake, SCRAM exchange and authorizer.
 */
class SecureClusterTest {

    /** An authentication or authorization failure must show within this; a client never waits longer. */
    private static final Duration REFUSAL = Duration.ofSeconds(10);

    private static EmbeddedKafkaCluster kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafkaCluster.builder().brokers(3).security(Security.saslSsl().user("stranger")).build()
                .start();
        kafka.createTopics();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void shouldProduceAndConsumeOverSaslSslWhenCredentialsAreValid() throws Exception {
        // Given ingest's credentials and an acks=all idempotent producer
        final List<String> values = List.of("TJ-KT-1", "TJ-KT-2", "UZ-SU-1");
        try (KafkaProducer<String, String> producer = producer(AccessPolicy.INGEST, Map.of())) {
            for (final String value : values) {
                producer.send(new ProducerRecord<>(Topics.INCIDENTS.name(), value, value)).get(30, TimeUnit.SECONDS);
            }
        }

        // Then the aggregator reads them in a group under its application id, over SASL_SSL
        final Map<String, Object> consumer = kafka.clientProperties(AccessPolicy.AGGREGATOR);
        assertThat(consumer).containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL")
                .containsEntry(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
        assertThat(TestClients.consume(consumer, AccessPolicy.AGGREGATOR_PREFIX + "-test", Topics.INCIDENTS.name(),
                values.size(), IsolationLevel.READ_COMMITTED)).containsExactlyInAnyOrderElementsOf(values);

        // And the topics are replicated three times with min.insync.replicas 2
        try (Admin admin = Admin.create(kafka.clientProperties(AccessPolicy.ADMIN))) {
            final TopicDescription incidents = admin.describeTopics(List.of(Topics.INCIDENTS.name()))
                    .allTopicNames().get().get(Topics.INCIDENTS.name());
            assertThat(incidents.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
            final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, Topics.INCIDENTS.name());
            final Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertThat(config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value()).isEqualTo("2");
        }
    }

    @Test
    void shouldFailAuthenticationWhenThePasswordIsWrong() {
        final Map<String, Object> props = new HashMap<>(kafka.clientProperties(AccessPolicy.INGEST));
        props.put(SaslConfigs.SASL_JAAS_CONFIG, ClusterAccess.jaasConfig(AccessPolicy.INGEST, "not-the-password"));

        final long start = System.nanoTime();
        try (Admin admin = Admin.create(props)) {
            assertThatThrownBy(() -> admin.describeCluster(new DescribeClusterOptions()
                    .timeoutMs((int) REFUSAL.toMillis())).clusterId().get())
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(REFUSAL);
    }

    @Test
    void shouldNotConnectWhenAPlaintextClientUsesTheSaslSslPort() {
        // A PLAINTEXT client's first request is not a TLS handshake: the broker drops the connection, every time.
        final Map<String, Object> props = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(), ProducerConfig.MAX_BLOCK_MS_CONFIG, "3000",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, TestClients.STRING_SERIALIZER,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, TestClients.STRING_SERIALIZER);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.INCIDENTS.name(), "k", "v"))
                    .get(REFUSAL.toSeconds(), TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(TimeoutException.class)
                    .hasMessageContaining("not present in metadata");
        }
    }

    @Test
    void shouldRefuseIngestWhenItWritesATopicOtherThanTheInputs() {
        try (KafkaProducer<String, String> producer = producer(AccessPolicy.INGEST, Map.of())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.ALERTS.name(), "k", "forged alert"))
                    .get(REFUSAL.toSeconds(), TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void shouldRefuseAnAuthenticatedUserWithoutAclsWhenItWritesAnything() {
        try (KafkaProducer<String, String> producer = producer("stranger", Map.of(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false"))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.INCIDENTS.name(), "k", "v"))
                    .get(REFUSAL.toSeconds(), TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void shouldLetTheEngineerReadButNotWriteWhenUsingItsGroupPrefix() throws Exception {
        // Given an aggregate written by the aggregator
        try (KafkaProducer<String, String> producer = producer(AccessPolicy.AGGREGATOR, Map.of())) {
            producer.send(new ProducerRecord<>(Topics.THREAT_AGGREGATES.name(), "TJ-KT|ARMED_INCURSION", "3"))
                    .get(30, TimeUnit.SECONDS);
        }
        final Map<String, Object> engineer = kafka.clientProperties(AccessPolicy.ENGINEER);

        // Then the engineer reads it in an engineer- group
        assertThat(TestClients.consume(engineer, AccessPolicy.ENGINEER_GROUP_PREFIX + "alice",
                Topics.THREAT_AGGREGATES.name(), 1, IsolationLevel.READ_COMMITTED)).containsExactly("3");

        // And may not write it, nor read with a group outside its prefix, nor read the raw reports
        try (KafkaProducer<String, String> producer = producer(AccessPolicy.ENGINEER, Map.of(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false"))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.THREAT_AGGREGATES.name(), "k", "9"))
                    .get(REFUSAL.toSeconds(), TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        assertThatThrownBy(() -> pollOnce(engineer, "analysts", Topics.THREAT_AGGREGATES.name()))
                .isInstanceOf(GroupAuthorizationException.class);
        assertThatThrownBy(() -> pollOnce(engineer, AccessPolicy.ENGINEER_GROUP_PREFIX + "bob",
                Topics.INCIDENTS.name()))
                .isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void shouldRunTransactionsOnlyUnderItsOwnPrefixWhenAggregator() {
        // Given the aggregator's Streams-style transactional id, a committed transaction to its outputs succeeds
        final String ownId = AccessPolicy.AGGREGATOR_PREFIX + "-" + UUID.randomUUID() + "-0";
        try (KafkaProducer<String, String> producer = producer(AccessPolicy.AGGREGATOR,
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, ownId))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(Topics.BREACHES.name(), "rule|TJ-KT|ARMED_INCURSION", "breach"));
            producer.commitTransaction();
        }
        assertThat(TestClients.consume(kafka.clientProperties(AccessPolicy.ENGINEER),
                AccessPolicy.ENGINEER_GROUP_PREFIX + "tx-check", Topics.BREACHES.name(), 1,
                IsolationLevel.READ_COMMITTED)).containsExactly("breach");

        // When it claims the alert service's transactional id, it is refused
        try (KafkaProducer<String, String> producer = producer(AccessPolicy.AGGREGATOR,
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, AccessPolicy.ALERT_PREFIX + "lifecycle-x-0"))) {
            assertThatThrownBy(producer::initTransactions).isInstanceOf(TransactionalIdAuthorizationException.class);
        }
    }

    @Test
    void shouldWriteOwnerOnlyClientConfigurationsWhenSecured() throws Exception {
        final Path file = kafka.dataDir().resolve(SecurityFiles.DIR).resolve("client-" + AccessPolicy.INGEST
                + ".properties");
        final Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            props.load(reader);
        }
        assertThat(props).containsEntry(SaslConfigs.SASL_JAAS_CONFIG,
                kafka.clientProperties(AccessPolicy.INGEST).get(SaslConfigs.SASL_JAAS_CONFIG));
        assertThat(Files.getPosixFilePermissions(file))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> kafka.clientProperties("nobody")).isInstanceOf(IllegalArgumentException.class);
    }

    private static KafkaProducer<String, String> producer(final String user, final Map<String, Object> extra) {
        final Map<String, Object> props = new HashMap<>(kafka.clientProperties(user));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, TestClients.STRING_SERIALIZER);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, TestClients.STRING_SERIALIZER);
        props.putAll(extra);
        return new KafkaProducer<>(props);
    }

    /** Subscribes and polls until the group joins or fails; returns nothing, throws the client's refusal. */
    private static void pollOnce(final Map<String, Object> client, final String group, final String topic) {
        final Map<String, Object> props = new HashMap<>(client);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, TestClients.STRING_DESERIALIZER);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, TestClients.STRING_DESERIALIZER);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            final long deadline = System.nanoTime() + REFUSAL.toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200));
            }
        }
        throw new AssertionError("no refusal within " + REFUSAL);
    }
}
