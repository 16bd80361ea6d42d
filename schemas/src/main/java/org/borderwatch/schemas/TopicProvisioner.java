package org.borderwatch.schemas;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the registry's topics that do not exist yet, and leaves existing ones alone (idempotent: safe on every
 * start). Partition counts and retention come from {@link Topics}; replication from the cluster's size.
 */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    private TopicProvisioner() {
    }

    /**
     * @param replicationFactor 1 on a single dev broker, 3 in production
     * @param minInSync         {@code min.insync.replicas}; 2 with replication factor 3
     * @return the names of the topics this call created
     */
    public static List<String> ensureTopics(final Admin admin, final Collection<Topic<?, ?>> topics,
                                            final short replicationFactor, final int minInSync) {
        try {
            final Set<String> existing = admin.listTopics().names().get();
            final List<NewTopic> missing = new ArrayList<>();
            for (final Topic<?, ?> topic : topics) {
                if (!existing.contains(topic.name())) {
                    final Map<String, String> configs = new HashMap<>(topic.configs());
                    configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInSync));
                    missing.add(new NewTopic(topic.name(), topic.partitions(), replicationFactor).configs(configs));
                }
            }
            final List<String> created = new ArrayList<>();
            for (final var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get();
                    created.add(entry.getKey());
                } catch (final ExecutionException e) {
                    // Another process created it between our list and create: that is the state we want.
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            if (!created.isEmpty()) {
                LOG.info("Created topics {}", created);
            }
            return created;
        } catch (final ExecutionException e) {
            throw new IllegalStateException("cannot create topics: " + e.getCause().getMessage(), e.getCause());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    public static List<String> ensureTopics(final Admin admin, final short replicationFactor, final int minInSync) {
        return ensureTopics(admin, Topics.ALL, replicationFactor, minInSync);
    }
}
