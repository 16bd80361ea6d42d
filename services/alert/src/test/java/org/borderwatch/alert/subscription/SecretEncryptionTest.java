package org.borderwatch.alert.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micronaut.context.ApplicationContext;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageEncoder;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.borderwatch.alert.support.AlertApp;
import org.borderwatch.alert.support.Breaches;
import org.borderwatch.testkit.WebhookReceiver;
import org.borderwatch.avro.EncryptedSecret;
import org.borderwatch.avro.Subscription;
import org.borderwatch.avro.ThreatType;
import org.borderwatch.credentials.SecretKeyRing;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.schemas.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhook signing secrets never rest in clear in {@code border.subscriptions.v1}: what a reader of the topic's bytes
 * sees, key rotation across restarts (signatures still verify), a removed or missing key, and records written in
 * clear by an older version. Each test has its own broker: the subscriptions topic is compacted and read in full.
 */
class SecretEncryptionTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private EmbeddedKafkaCluster kafka;
    private Breaches breaches;
    private WebhookReceiver receiver;
    private final List<AlertApp> apps = new ArrayList<>();
    private Map<String, Object> deployment;

    @BeforeEach
    void start() {
        kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start();
        kafka.createTopics();
        breaches = new Breaches(kafka.bootstrapServers());
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void stop() {
        apps.stream().filter(app -> app.context().isRunning()).forEach(AlertApp::close);
        receiver.close();
        breaches.close();
        kafka.close();
    }

    @Test
    void shouldKeepTheSecretOutOfTheTopicsBytesAndOutOfEveryAnswerButTheFirstWhenAWebhookIsCreated() {
        final AlertApp app = start(keys("k1").get("k1"));

        final Map<String, Object> created = subscribe(app, "/created");
        final String secret = (String) created.get("secret");
        final String id = (String) created.get("subscriptionId");

        // The raw record holds neither the secret, nor its base64 key part, nor the 32 key bytes
        final List<byte[]> values = rawValues();
        assertThat(values).isNotEmpty();
        final byte[] keyBytes = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        for (final byte[] value : values) {
            assertThat(indexOf(value, secret.getBytes(StandardCharsets.UTF_8))).isNegative();
            assertThat(indexOf(value, secret.substring("whsec_".length()).getBytes(StandardCharsets.UTF_8)))
                    .isNegative();
            assertThat(indexOf(value, keyBytes)).isNegative();
        }
        final Subscription stored = latest(id);
        assertThat(stored.getSecrets()).isEmpty();
        assertThat(stored.getEncryptedSecrets()).extracting(EncryptedSecret::getKeyId).containsExactly("k1");
        assertThat(stored.getEncryptedSecrets().get(0).getNonce().remaining()).isEqualTo(12);
        // Shown once: neither GET nor the list returns it, in clear or encrypted
        for (final String path : List.of("/v1/subscriptions/" + id, "/v1/subscriptions")) {
            final HttpResponse<String> answer = app.get(path, AlertApp.OPS_TJ_KEY);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).doesNotContain(secret, "\"secret\"", "ecrets");
        }
        // And the alert it signs verifies with the secret shown at creation
        breaches.send(Breaches.firing("r-created", "TJ-KT", ThreatType.ILLEGAL_CROSSING));
        await().atMost(WAIT).until(() -> !receiver.received("/created").isEmpty());
        assertThat(WebhookReceiver.verifies(receiver.received("/created").get(0), secret)).isTrue();
    }

    @Test
    void shouldSignWithTheSameSecretWhenANewKeyBecomesActiveAndTheOldOneIsRemovedAfterwards() {
        // Given: a webhook whose secret is encrypted with k1
        final Map<String, String> keys = keys("k1", "k2");
        AlertApp app = start(keys.get("k1"));
        final Map<String, Object> created = subscribe(app, "/rotation");
        final String secret = (String) created.get("secret");
        final String id = (String) created.get("subscriptionId");
        assertThat(keyIdsOf(latest(id))).containsExactly("k1");
        app.close();

        // When: k2 is added in front (active), k1 still listed: the start re-encrypts the secret with k2
        app = start(keys.get("k2") + "," + keys.get("k1"));
        await().atMost(WAIT).until(() -> keyIdsOf(latest(id)).equals(List.of("k2")));
        breaches.send(Breaches.firing("r-rotation-1", "TJ-KT", ThreatType.ILLEGAL_CROSSING));
        await().atMost(WAIT).until(() -> receiver.received("/rotation").size() == 1);
        assertThat(WebhookReceiver.verifies(receiver.received("/rotation").get(0), secret)).isTrue();
        app.close();

        // Then: with k1 removed the service starts and still signs with the same secret
        app = start(keys.get("k2"));
        breaches.send(Breaches.firing("r-rotation-2", "TJ-KT", ThreatType.ILLEGAL_CROSSING));
        await().atMost(WAIT).until(() -> receiver.received("/rotation").size() == 2);
        assertThat(WebhookReceiver.verifies(receiver.received("/rotation").get(1), secret)).isTrue();
        // Records written with k1 before remain in the compacted topic until compaction: superseded, never read
        assertThat(rawValues().size()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void shouldRefuseToStartNamingTheKeyIdWhenAKeyStillInUseIsRemovedOrReplaced() {
        final Map<String, String> keys = keys("k1", "k9");
        final AlertApp app = start(keys.get("k1"));
        subscribe(app, "/removed");
        final Map<String, Object> properties = new HashMap<>(app.properties());
        app.close();
        properties.put(SubscriptionSecrets.KEYS_PROPERTY, keys.get("k9"));

        assertThatThrownBy(() -> ApplicationContext.run(EmbeddedServer.class, properties).close())
                .hasStackTraceContaining("key 'k1' is no longer listed")
                .hasStackTraceContaining(SecretKeyRing.ENV)
                .satisfies(e -> assertThat(stackTrace(e)).doesNotContain(material(keys.get("k1")),
                        material(keys.get("k9"))));

        // Another key under the same id is refused too, before any webhook is signed with a wrong secret
        final String impostor = SecretKeyRing.generate("k1");
        properties.put(SubscriptionSecrets.KEYS_PROPERTY, impostor);
        assertThatThrownBy(() -> ApplicationContext.run(EmbeddedServer.class, properties).close())
                .hasStackTraceContaining("key 'k1' is listed but is not the key that encrypted")
                .satisfies(e -> assertThat(stackTrace(e)).doesNotContain(material(impostor)));
    }

    @Test
    void shouldRefuseToStartWhenNoKeyOrAMalformedKeyIsConfigured() {
        final Map<String, Object> properties = AlertApp.freshProperties(kafka, dir);
        properties.remove(SubscriptionSecrets.KEYS_PROPERTY);
        assertThatThrownBy(() -> ApplicationContext.run(EmbeddedServer.class, properties).close())
                .hasStackTraceContaining("no secret keys configured").hasStackTraceContaining(SecretKeyRing.ENV);

        final String shortKey = "short:" + Base64.getEncoder().encodeToString(new byte[16]);
        properties.put(SubscriptionSecrets.KEYS_PROPERTY, shortKey);
        assertThatThrownBy(() -> ApplicationContext.run(EmbeddedServer.class, properties).close())
                .hasStackTraceContaining("('short') has 16 bytes; AES-256 needs 32")
                .satisfies(e -> assertThat(stackTrace(e)).doesNotContain(material(shortKey)));
    }

    @Test
    void shouldEncryptSecretsAnOlderVersionWroteInClearWhenTheServiceStarts() throws IOException {
        // Given: a subscription as versions before encryption wrote it, with their schema (Subscription v2): the
        // secret in clear
        final String secret = "whsec_" + Base64.getEncoder().encodeToString("a legacy secret of 32 bytes.....".getBytes(
                StandardCharsets.US_ASCII));
        final Schema v2 = new Schema.Parser().parse(getClass().getResourceAsStream(
                "/org/borderwatch/schemas/history/Subscription/v2.avsc"));
        final long now = System.currentTimeMillis();
        final GenericRecord legacy = new GenericRecordBuilder(v2).set("subscriptionId", "sub_legacy")
                .set("owner", "ops-tj").set("ownerRegions", List.of("TJ-*"))
                .set("minSeverity", new GenericData.EnumSymbol(v2.getField("minSeverity").schema(), "LOW"))
                .set("channel", new GenericData.EnumSymbol(v2.getField("channel").schema(), "WEBHOOK"))
                .set("format", new GenericData.EnumSymbol(v2.getField("format").schema(), "JSON"))
                .set("url", receiver.url("/legacy")).set("secrets", List.of(secret))
                .set("createdAt", now).set("updatedAt", now).build();
        final byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v2).encode(legacy).array();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.SUBSCRIPTIONS.name(),
                    "sub_legacy".getBytes(StandardCharsets.UTF_8), bytes));
        }
        assertThat(indexOf(rawValues().get(0), secret.getBytes(StandardCharsets.UTF_8))).isNotNegative();

        // When
        start(keys("k1").get("k1"));

        // Then: its latest record holds the secret encrypted only, and webhooks still verify with it
        await().atMost(WAIT).until(() -> keyIdsOf(latest("sub_legacy")).equals(List.of("k1")));
        assertThat(latest("sub_legacy").getSecrets()).isEmpty();
        breaches.send(Breaches.firing("r-legacy", "TJ-KT", ThreatType.ILLEGAL_CROSSING));
        await().atMost(WAIT).until(() -> !receiver.received("/legacy").isEmpty());
        assertThat(WebhookReceiver.verifies(receiver.received("/legacy").get(0), secret)).isTrue();
    }

    /** The one deployment of a test (same groups and state across restarts), with {@code configuredKeys}. */
    private AlertApp start(final String configuredKeys) {
        if (deployment == null) {
            deployment = AlertApp.freshProperties(kafka, dir);
        }
        final Map<String, Object> properties = new HashMap<>(deployment);
        properties.put(SubscriptionSecrets.KEYS_PROPERTY, configuredKeys);
        final AlertApp app = AlertApp.start(properties);
        apps.add(app);
        return app;
    }

    private Map<String, Object> subscribe(final AlertApp app, final String path) {
        final HttpResponse<String> response = app.post("/v1/subscriptions", Map.of("channel", "webhook",
                "url", receiver.url(path), "regions", List.of("TJ-*")), AlertApp.OPS_TJ_KEY);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return app.body(response);
    }

    /** Fresh keys by id, each as a configuration entry {@code id:base64key}. */
    private static Map<String, String> keys(final String... ids) {
        final Map<String, String> keys = new LinkedHashMap<>();
        for (final String id : ids) {
            keys.put(id, SecretKeyRing.generate(id));
        }
        return keys;
    }

    private static String material(final String entry) {
        return entry.substring(entry.indexOf(':') + 1);
    }

    private static String stackTrace(final Throwable e) {
        final java.io.StringWriter out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }

    private static List<String> keyIdsOf(final Subscription subscription) {
        return subscription.getEncryptedSecrets().stream().map(EncryptedSecret::getKeyId).toList();
    }

    /** The latest value of {@code id} on the topic. */
    private Subscription latest(final String id) {
        Subscription latest = null;
        for (final ConsumerRecord<byte[], byte[]> record : rawRecords()) {
            if (id.equals(new String(record.key(), StandardCharsets.UTF_8)) && record.value() != null) {
                latest = Topics.SUBSCRIPTIONS.valueSerde().deserializer().deserialize(Topics.SUBSCRIPTIONS.name(),
                        record.value());
            }
        }
        assertThat(latest).as("a record of %s", id).isNotNull();
        return latest;
    }

    private List<byte[]> rawValues() {
        return rawRecords().stream().map(ConsumerRecord::value).filter(v -> v != null).toList();
    }

    /** Every record of border.subscriptions.v1 as bytes, as any reader of the topic gets them. */
    private List<ConsumerRecord<byte[], byte[]>> rawRecords() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(Topics.SUBSCRIPTIONS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            final long deadline = System.nanoTime() + WAIT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    private static int indexOf(final byte[] haystack, final byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
