package org.borderwatch.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.borderwatch.schemas.Topic;
import org.borderwatch.schemas.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One three-node cluster shared by the tests of this class; a test that stops a node restarts it. */
class ThreeNodeClusterTest {

    private static EmbeddedKafkaCluster kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafkaCluster.builder().brokers(3).build().start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void shouldReplicateTopicsThreeTimesWithMinIsrTwoWhenThreeBrokers() throws Exception {
        final List<String> created = kafka.createTopics();

        assertThat(kafka.bootstrapServers().split(",")).hasSize(3).allMatch(s -> s.startsWith("127.0.0.1:"));
        assertThat(created).containsExactlyInAnyOrderElementsOf(Topics.ALL.stream().map(Topic::name).toList());
        try (Admin admin = TestClients.admin(kafka)) {
            assertThat(admin.describeCluster().nodes().get()).extracting(Node::id).containsExactlyInAnyOrder(0, 1, 2);
            final Map<String, TopicDescription> topics = admin.describeTopics(created).allTopicNames().get();
            assertThat(topics.values()).flatExtracting(TopicDescription::partitions)
                    .allSatisfy(partition -> assertThat(partition.replicas()).hasSize(3));
            final ConfigResource alerts = new ConfigResource(ConfigResource.Type.TOPIC, Topics.ALERTS.name());
            final Config config = admin.describeConfigs(List.of(alerts)).all().get().get(alerts);
            assertThat(config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value()).isEqualTo("2");
        }
    }

    @Test
    void shouldAcceptAcksAllAndTransactionalWritesWhenOneBrokerIsStoppedAndResyncItWhenRestarted() throws Exception {
        // Given a topic with the broker defaults (rf 3, min.insync.replicas 2), and the internal transaction and
        // offsets topics created while all three brokers run: Kafka creates them lazily, with rf 3.
        TestClients.createTopic(kafka, "acks-all-check", 6);
        assertThat(minInSyncReplicas("acks-all-check")).isEqualTo("2");
        final List<String> before = values("before", 50);
        TestClients.produceTransactionally(kafka, "acks-all-check", before, List.of());
        assertThat(TestClients.consume(kafka, "acks-all-check", 50, IsolationLevel.READ_COMMITTED)).hasSize(50);

        // When broker 0, the first bootstrap server, stops
        kafka.stopBroker(0);
        final List<String> acked = values("acked", 100);
        final List<String> committed = values("committed", 100);
        try {
            // Then acks=all writes and transactions still succeed on the two brokers left (ISR 2 >= min ISR 2)
            TestClients.produce(kafka, "acks-all-check", acked);
            TestClients.produceTransactionally(kafka, "acks-all-check", committed, List.of("aborted"));
            assertThat(TestClients.consume(kafka, "acks-all-check", 250, IsolationLevel.READ_COMMITTED))
                    .hasSize(250)
                    .containsAll(acked)
                    .containsAll(committed)
                    .doesNotContain("aborted");
        } finally {
            kafka.startBroker(0);
        }

        // And the restarted broker catches up and is back in every partition's ISR
        await().atMost(TestClients.TIMEOUT).untilAsserted(() ->
                assertThat(partitions("acks-all-check"))
                        .allSatisfy(partition -> assertThat(partition.isr()).extracting(Node::id)
                                .containsExactlyInAnyOrder(0, 1, 2)));
    }

    private static List<String> values(final String prefix, final int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
    }

    private static String minInSyncReplicas(final String topic) throws Exception {
        try (Admin admin = TestClients.admin(kafka)) {
            final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            return admin.describeConfigs(List.of(resource)).all().get().get(resource)
                    .get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value();
        }
    }

    private static List<TopicPartitionInfo> partitions(final String topic) throws Exception {
        try (Admin admin = TestClients.admin(kafka)) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
        }
    }
}
