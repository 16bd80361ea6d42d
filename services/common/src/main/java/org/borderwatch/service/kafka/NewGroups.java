package org.borderwatch.service.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What a consumer group of a service does on its first assignment: start at the end of the log. A new group id
 * is a new deployment, not a replay: it must not re-send notifications that an earlier group already sent. Committing
 * the end at once (rather than relying on {@code auto.offset.reset=latest}) makes a restart before the first record
 * start there too.
 */
public final class NewGroups {

    private NewGroups() {
    }

    /** Call from {@code onPartitionsAssigned}: commits the current end of every partition the group never committed. */
    public static void startAtEnd(final Consumer<?, ?> consumer, final Collection<TopicPartition> partitions) {
        final Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
        final Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
        for (final TopicPartition partition : partitions) {
            if (committed.get(partition) == null) {
                // With auto.offset.reset=latest the position of an uncommitted partition is its end.
                start.put(partition, new OffsetAndMetadata(consumer.position(partition)));
            }
        }
        if (!start.isEmpty()) {
            consumer.commitSync(start);
        }
    }
}
