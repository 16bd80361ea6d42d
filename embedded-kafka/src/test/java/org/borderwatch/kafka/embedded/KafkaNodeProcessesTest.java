package org.borderwatch.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.borderwatch.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class KafkaNodeProcessesTest {

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldKeepAcceptingAcksAllWritesWhenTheLeaderProcessIsKilledAndRejoinWhenRestarted() throws Exception {
        final Path dir = Files.createTempDirectory("borderwatch-node-processes-");
        try (KafkaNodeProcesses kafka = KafkaNodeProcesses.start(3, dir.resolve("data"), dir.resolve("logs"),
                "256m")) {
            // Given three node processes and the registry's topics, replicated three times
            assertThat(kafka.createTopics()).contains(Topics.INCIDENTS.name());
            final int leader = leader(kafka);
            final long pid = kafka.pid(leader);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG,
                    "all", ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000), new StringSerializer(),
                    new StringSerializer())) {
                producer.send(record("before")).get(60, TimeUnit.SECONDS);

                // When the leader of partition 0 is killed (SIGKILL of its own process)
                kafka.kill(leader);

                // Then the others elect a new leader and acks=all writes go on (2 of 3 in sync)
                assertThat(kafka.isAlive(leader)).isFalse();
                final RecordMetadata after = producer.send(record("after")).get(60, TimeUnit.SECONDS);
                assertThat(after.offset()).isEqualTo(1);
                assertThat(leader(kafka)).isNotEqualTo(leader);

                // And the killed node comes back as a new process on its ports and data
                kafka.startNode(leader);
                assertThat(kafka.isAlive(leader)).isTrue();
                assertThat(kafka.pid(leader)).isNotEqualTo(pid);
            }
        } finally {
            Utils.delete(dir.toFile());
        }
    }

    private static ProducerRecord<String, String> record(final String value) {
        return new ProducerRecord<>(Topics.INCIDENTS.name(), 0, "TJ-KT", value);
    }

    private static int leader(final KafkaNodeProcesses kafka) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers()))) {
            final TopicPartitionInfo partition = admin.describeTopics(List.of(Topics.INCIDENTS.name()))
                    .allTopicNames().get(30, TimeUnit.SECONDS).get(Topics.INCIDENTS.name()).partitions().get(0);
            return partition.leader().id();
        }
    }
}
