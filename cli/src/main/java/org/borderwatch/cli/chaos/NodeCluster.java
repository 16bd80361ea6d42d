package org.borderwatch.cli.chaos;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.utils.Utils;
import org.borderwatch.schemas.Topics;

/**
 * Where a region's incidents live on a multi-broker cluster: the partition of {@code border.incidents.v1} its key
 * hashes to (the producer's default partitioner), that partition's leader and in-sync replicas.
 */
final class NodeCluster implements AutoCloseable {

    private final Admin admin;

    /**
     * @param client connection settings: bootstrap servers and, on a secured cluster, a login that may describe the
     *               input topics
     */
    NodeCluster(final Map<String, Object> client) {
        final Map<String, Object> props = new HashMap<>(client);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        this.admin = Admin.create(props);
    }

    /** The partition a record keyed {@code region} goes to (murmur2, as the producer's default partitioner). */
    int partitionOf(final String region) {
        return Utils.toPositive(Utils.murmur2(region.getBytes(StandardCharsets.UTF_8)))
                % incidents().partitions().size();
    }

    /** The node id leading {@code partition} of the incidents topic, -1 without a leader. */
    int leader(final int partition) {
        final TopicPartitionInfo info = incidents().partitions().get(partition);
        return info.leader() == null ? -1 : info.leader().id();
    }

    /** True when every partition of every input topic has all {@code replicas} in sync. */
    boolean fullyInSync(final int replicas) {
        try {
            final Map<String, TopicDescription> topics = admin.describeTopics(List.of(Topics.INCIDENTS.name(),
                    Topics.SEIZURES.name())).allTopicNames().get(10, TimeUnit.SECONDS);
            return topics.values().stream().flatMap(topic -> topic.partitions().stream())
                    .allMatch(partition -> partition.isr().size() == replicas && partition.leader() != null);
        } catch (final Exception e) {
            return false;
        }
    }

    private TopicDescription incidents() {
        try {
            return admin.describeTopics(List.of(Topics.INCIDENTS.name())).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(Topics.INCIDENTS.name());
        } catch (final Exception e) {
            throw new IllegalStateException("cannot describe " + Topics.INCIDENTS.name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
