package org.borderwatch.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirRestartTest {

    @TempDir
    Path dataDir;

    @Test
    void shouldKeepRecordsAndClusterIdWhenRestartedOnTheSameDataDir() throws Exception {
        // Given a cluster on dataDir holding 500 records
        final List<String> values = IntStream.range(0, 500).mapToObj(i -> "record-" + i).toList();
        final String clusterId;
        try (EmbeddedKafkaCluster first = EmbeddedKafkaCluster.builder().dataDir(dataDir).build().start()) {
            TestClients.createTopic(first, "survivor", 3);
            TestClients.produce(first, "survivor", values);
            clusterId = clusterId(first);
        }

        // When a new cluster starts on the same directory
        try (EmbeddedKafkaCluster second = EmbeddedKafkaCluster.builder().dataDir(dataDir).build().start()) {

            // Then it is the same cluster, with the same records
            assertThat(clusterId(second)).isEqualTo(clusterId);
            assertThat(TestClients.consume(second, "survivor", values.size(), IsolationLevel.READ_COMMITTED))
                    .containsExactlyInAnyOrderElementsOf(values);
        }
        assertThat(dataDir.resolve(EmbeddedKafkaCluster.CLUSTER_FILE)).exists();
        assertThat(dataDir.resolve("node-0").resolve(KafkaNode.META_PROPERTIES)).exists();
    }

    @Test
    void shouldDeleteTheDataWhenClosingAClusterWithoutDataDir() {
        final EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().build().start();
        final Path temporary = kafka.dataDir();
        assertThat(temporary.resolve("node-0")).isDirectory();

        kafka.close();

        assertThat(temporary).doesNotExist();
    }

    @Test
    void shouldRefuseToStartWhenTheDataDirHoldsAClusterOfAnotherSize() throws Exception {
        Files.writeString(dataDir.resolve(EmbeddedKafkaCluster.CLUSTER_FILE), "cluster.id=abc\nnodes=3\n");
        final EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().dataDir(dataDir).build();

        assertThatThrownBy(kafka::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds a cluster of 3 node(s), not 1");
        assertThat(dataDir.resolve("node-0")).doesNotExist();
    }

    @Test
    void shouldRefuseToStartWhenAnotherClusterRunsOnTheDataDir() throws Exception {
        try (EmbeddedKafkaCluster running = EmbeddedKafkaCluster.builder().dataDir(dataDir).build().start()) {
            final EmbeddedKafkaCluster second = EmbeddedKafkaCluster.builder().dataDir(dataDir).build();

            assertThatThrownBy(second::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use by another embedded Kafka");
            // The running cluster is untouched: its metadata log still accepts writes.
            TestClients.createTopic(running, "still-writable", 1);
        }
    }

    private static String clusterId(final EmbeddedKafkaCluster kafka) throws Exception {
        try (Admin admin = TestClients.admin(kafka)) {
            return admin.describeCluster().clusterId().get();
        }
    }
}
