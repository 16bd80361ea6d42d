package org.borderwatch.bench.kafka;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Offsets as the broker sees them, through the Admin API: end offsets (high watermark, or last stable offset for
 * read_committed) and how far a consumer group (a Kafka Streams application id) has got
 * ({@code Admin#listConsumerGroupOffsets}). Under exactly-once a committed offset means the records before it are
 * processed and their results committed.
 */
public final class ClusterOffsets implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 10;

    private final Admin admin;

    public ClusterOffsets(final String bootstrapServers) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "borderwatch-bench-progress"));
    }

    /**
     * Waits until every partition of {@code topics} answers on its leader. Right after topics are created the broker
     * may still refuse writes (NOT_LEADER_OR_FOLLOWER); an idempotent producer that retries through that was seen to
     * end in OutOfOrderSequenceException and a stalled partition (Kafka 4.3.1), so publishing waits for this.
     */
    public void awaitLeaders(final Collection<String> topics) {
        await("leaders for " + topics).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> endOffsets(partitions(topics)).size() == partitions(topics).size());
    }

    /** Every partition of {@code topics}. */
    public List<TopicPartition> partitions(final Collection<String> topics) {
        return get(admin.describeTopics(topics).allTopicNames()).values().stream()
                .flatMap(topic -> topic.partitions().stream()
                        .map(partition -> new TopicPartition(topic.name(), partition.partition())))
                .toList();
    }

    /** End offsets as a read_uncommitted consumer sees them (the high watermark). */
    public Map<TopicPartition, Long> endOffsets(final Collection<TopicPartition> partitions) {
        return offsets(partitions, IsolationLevel.READ_UNCOMMITTED);
    }

    /** End offsets as a read_committed consumer sees them (the last stable offset). */
    public Map<TopicPartition, Long> stableOffsets(final Collection<TopicPartition> partitions) {
        return offsets(partitions, IsolationLevel.READ_COMMITTED);
    }

    /** The group's committed offsets; partitions it has not committed yet are absent. */
    public Map<TopicPartition, Long> committed(final String groupId) {
        final Map<TopicPartition, OffsetAndMetadata> committed =
                get(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
        final Map<TopicPartition, Long> offsets = new HashMap<>();
        committed.forEach((partition, offset) -> {
            if (offset != null) {
                offsets.put(partition, offset.offset());
            }
        });
        return offsets;
    }

    /** Sum of the group's committed offsets over {@code partitions} (0 for a partition without a commit). */
    public long committedTotal(final String groupId, final Collection<TopicPartition> partitions) {
        final Map<TopicPartition, Long> committed = committed(groupId);
        return partitions.stream().mapToLong(partition -> committed.getOrDefault(partition, 0L)).sum();
    }

    /**
     * Records of {@code starts}' partitions the group has not committed yet: end offset minus committed offset, a
     * partition without a commit counting from its start in {@code starts} (where the input began for this group).
     */
    public long behind(final String groupId, final Map<TopicPartition, Long> starts) {
        final Map<TopicPartition, Long> committed = committed(groupId);
        return endOffsets(starts.keySet()).entrySet().stream().mapToLong(entry -> Math.max(0, entry.getValue()
                - committed.getOrDefault(entry.getKey(), starts.get(entry.getKey())))).sum();
    }

    /** Sum of the end offsets of {@code partitions}. */
    public long endTotal(final Collection<TopicPartition> partitions) {
        return endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public void close() {
        admin.close();
    }

    private Map<TopicPartition, Long> offsets(final Collection<TopicPartition> partitions,
                                              final IsolationLevel isolation) {
        final Map<TopicPartition, OffsetSpec> latest = partitions.stream()
                .collect(Collectors.toMap(partition -> partition, partition -> OffsetSpec.latest()));
        final Map<TopicPartition, Long> offsets = new HashMap<>();
        get(admin.listOffsets(latest, new ListOffsetsOptions(isolation)).all())
                .forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    private static <T> T get(final org.apache.kafka.common.KafkaFuture<T> future) {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (final ExecutionException e) {
            throw new IllegalStateException("Kafka admin request failed: " + e.getCause().getMessage(), e.getCause());
        } catch (final TimeoutException e) {
            throw new IllegalStateException("Kafka admin request got no answer within " + TIMEOUT_SECONDS + " s", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking Kafka", e);
        }
    }
}
