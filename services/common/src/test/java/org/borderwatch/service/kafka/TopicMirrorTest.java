package org.borderwatch.service.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.borderwatch.avro.ConsoleSession;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.schemas.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kit's compacted-topic mirror on a real broker, reading {@code border.console-sessions.v1} (compacted, one
 * partition, Avro values): it catches up with what was there, sees its own write once it awaited it, forgets a key on
 * its tombstone, and skips a record that does not decode.
 */
class TopicMirrorTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static EmbeddedKafkaCluster kafka;
    private static KafkaClients clients;
    private static AcknowledgedWriter writer;

    private final Map<String, ConsoleSession> sessions = new ConcurrentHashMap<>();
    private final List<Long> offsets = new CopyOnWriteArrayList<>();
    private TopicMirror<ConsoleSession> mirror;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start();
        kafka.createTopics();
        clients = KitFixtures.clients(kafka);
        writer = new AcknowledgedWriter(clients);
    }

    @AfterAll
    static void stopKafka() {
        writer.close();
        kafka.close();
    }

    @AfterEach
    void closeMirror() {
        if (mirror != null) {
            mirror.close();
        }
    }

    private TopicMirror<ConsoleSession> startMirror() {
        mirror = new TopicMirror<>(Topics.CONSOLE_SESSIONS, clients, (record, session) -> {
            offsets.add(record.offset());
            if (session == null) {
                sessions.remove(record.key());
            } else {
                sessions.put(record.key(), session);
            }
        }).start();
        return mirror;
    }

    @Test
    void shouldHoldWhatWasWrittenBeforeWhenCaughtUp() {
        final String key = "before-" + System.nanoTime();
        writer.write(Topics.CONSOLE_SESSIONS, key, KitFixtures.session("early"));

        assertThat(startMirror().awaitCaughtUp(WAIT)).isTrue();

        assertThat(mirror.isCaughtUp()).isTrue();
        assertThat(mirror.partitions()).isEqualTo(Topics.CONSOLE_SESSIONS.partitions());
        assertThat(sessions.get(key).getPrincipal()).isEqualTo("early");
    }

    @Test
    void shouldSeeItsOwnWriteWhenItAwaitedIt() {
        assertThat(startMirror().awaitCaughtUp(WAIT)).isTrue();
        final String key = "own-" + System.nanoTime();

        final RecordMetadata written = writer.write(Topics.CONSOLE_SESSIONS, key, KitFixtures.session("mine"));

        // No polling here: once awaitVisible says yes, the handler has the record.
        assertThat(mirror.awaitVisible(written, WAIT)).isTrue();
        assertThat(sessions.get(key).getPrincipal()).isEqualTo("mine");
    }

    @Test
    void shouldForgetTheKeyWhenItsTombstoneArrives() {
        assertThat(startMirror().awaitCaughtUp(WAIT)).isTrue();
        final String key = "gone-" + System.nanoTime();
        assertThat(mirror.awaitVisible(writer.write(Topics.CONSOLE_SESSIONS, key, KitFixtures.session("x")), WAIT))
                .isTrue();
        assertThat(sessions).containsKey(key);

        final RecordMetadata tombstone = writer.write(Topics.CONSOLE_SESSIONS, key, null);

        assertThat(mirror.awaitVisible(tombstone, WAIT)).isTrue();
        assertThat(sessions).doesNotContainKey(key);
        assertThat(offsets).contains(tombstone.offset());
    }

    @Test
    void shouldSkipAPoisonRecordAndKeepReadingWhenAValueDoesNotDecode() throws Exception {
        assertThat(startMirror().awaitCaughtUp(WAIT)).isTrue();
        final String key = "poison-" + System.nanoTime();
        final RecordMetadata poison;
        // A foreign producer writes bytes that are not a ConsoleSession.
        final Producer<byte[], byte[]> foreign = clients.producer(Map.of());
        try {
            poison = foreign.send(new ProducerRecord<>(Topics.CONSOLE_SESSIONS.name(),
                    key.getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8))).get();
        } finally {
            clients.close(foreign, Duration.ofSeconds(5));
        }

        final RecordMetadata valid = writer.write(Topics.CONSOLE_SESSIONS, key, KitFixtures.session("after"));

        assertThat(mirror.awaitVisible(valid, WAIT)).isTrue();
        assertThat(offsets).doesNotContain(poison.offset()).contains(valid.offset());
        assertThat(sessions.get(key).getPrincipal()).isEqualTo("after");
    }

    @Test
    void shouldStopWaitingAndReleaseItsThreadWhenClosed() {
        startMirror();
        await().atMost(WAIT).until(mirror::isCaughtUp);
        final long threads = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("mirror-" + Topics.CONSOLE_SESSIONS.name())).count();
        assertThat(threads).isGreaterThanOrEqualTo(1);

        mirror.close();

        // A write nobody will read: a waiter returns at once rather than after its timeout.
        final long start = System.nanoTime();
        assertThat(mirror.awaitPosition(0, Long.MAX_VALUE - 1, WAIT)).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(thread -> thread.getName().equals("mirror-" + Topics.CONSOLE_SESSIONS.name())));
    }
}
