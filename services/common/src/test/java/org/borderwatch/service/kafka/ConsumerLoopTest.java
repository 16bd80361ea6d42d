package org.borderwatch.service.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.schemas.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The kit's consumer-loop runner on a real broker: close releases the thread and lets the body commit. */
class ConsumerLoopTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static EmbeddedKafkaCluster kafka;
    private static KafkaClients clients;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start();
        kafka.createTopics();
        clients = KitFixtures.clients(kafka);
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    /** Counts records and commits only when the loop stops: whatever is committed, close committed it. */
    private static final class CommitOnClose implements ConsumerLoop.Body {
        private final AtomicInteger read = new AtomicInteger();
        private final AtomicInteger starts = new AtomicInteger();

        @Override
        public void start(final Consumer<byte[], byte[]> consumer) {
            starts.incrementAndGet();
            consumer.subscribe(List.of(Topics.CONSOLE_SESSIONS.name()));
        }

        @Override
        public void polled(final Consumer<byte[], byte[]> consumer, final ConsumerRecords<byte[], byte[]> records) {
            read.addAndGet(records.count());
        }

        @Override
        public void stopping(final Consumer<byte[], byte[]> consumer) {
            consumer.commitSync();
        }
    }

    @Test
    void shouldReleaseTheThreadAndCommitWhenClosed() throws Exception {
        // Given three records and a group that never committed
        final AcknowledgedWriter writer = new AcknowledgedWriter(clients);
        try {
            for (int i = 0; i < 3; i++) {
                writer.write(Topics.CONSOLE_SESSIONS, "loop-" + i, KitFixtures.session("p" + i));
            }
        } finally {
            writer.close();
        }
        final String group = "kit-loop-" + System.nanoTime();
        final CommitOnClose body = new CommitOnClose();
        final ConsumerLoop loop = new ConsumerLoop(clients, "kit-loop", Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), Duration.ofMillis(100), body).start();
        await().atMost(WAIT).until(() -> body.read.get() >= 3);
        assertThat(committed(group)).isNull();

        // When it is closed
        loop.close();

        // Then its thread is gone, the body committed where it stood, and it was started once
        assertThat(loop.isAlive()).isFalse();
        assertThat(loop.hasFailed()).isFalse();
        final OffsetAndMetadata committed = committed(group);
        assertThat(committed).isNotNull();
        assertThat(committed.offset()).isEqualTo(endOffset());
        assertThat(body.starts.get()).isEqualTo(1);
    }

    @Test
    void shouldStopAWaitingBodyWhenClosedBeforeItSubscribed() {
        final ConsumerLoop[] holder = new ConsumerLoop[1];
        final ConsumerLoop loop = new ConsumerLoop(clients, "kit-waiting", Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "kit-waiting-" + System.nanoTime()), Duration.ofMillis(100),
                new ConsumerLoop.Body() {
                    @Override
                    public void start(final Consumer<byte[], byte[]> consumer) {
                        // Waits for something that never comes, as the webhook dispatcher waits for its stores.
                        while (!holder[0].pause(Duration.ofSeconds(1))) {
                            Thread.onSpinWait();
                        }
                    }

                    @Override
                    public void polled(final Consumer<byte[], byte[]> consumer,
                                       final ConsumerRecords<byte[], byte[]> records) {
                    }
                });
        holder[0] = loop;
        loop.start();

        final long start = System.nanoTime();
        loop.close();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(loop.isAlive()).isFalse();
    }

    private static OffsetAndMetadata committed(final String group) throws Exception {
        final Admin admin = clients.admin();
        try {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition(Topics.CONSOLE_SESSIONS.name(), 0));
        } finally {
            clients.close(admin, Duration.ofSeconds(5));
        }
    }

    private static long endOffset() throws Exception {
        final Admin admin = clients.admin();
        try {
            final TopicPartition partition = new TopicPartition(Topics.CONSOLE_SESSIONS.name(), 0);
            return admin.listOffsets(Map.of(partition, org.apache.kafka.clients.admin.OffsetSpec.latest()))
                    .partitionResult(partition).get().offset();
        } finally {
            clients.close(admin, Duration.ofSeconds(5));
        }
    }
}
