package org.borderwatch.aggregator.query;

import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import jakarta.inject.Singleton;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.borderwatch.aggregator.host.AggregatorSettings;
import org.borderwatch.aggregator.host.StreamsHost;
import org.borderwatch.aggregator.region.RegionBuckets;
import org.borderwatch.aggregator.rollup.CountryBuckets;
import org.borderwatch.aggregator.rules.Level;
import org.borderwatch.aggregator.store.StoreNames;
import org.borderwatch.aggregator.window.Bucket;
import org.borderwatch.aggregator.window.BucketSource;
import org.borderwatch.aggregator.window.Granularity;
import org.borderwatch.schemas.Topics;
import org.borderwatch.service.problem.ProblemException;

/**
 * The topology's bucket stores as seen by interactive queries: who owns a key, which partitions this instance
 * serves, and the read-only stores of one partition. Only active stores are read (never standbys, never stale), and
 * only while Kafka Streams is {@code RUNNING}: during a rebalance every read fails with a 503 and
 * {@code Retry-After} rather than answer from a store that is migrating away or still restoring.
 *
 * <p>Region buckets live in the task of the region's input partition (the event topics are keyed by region), so a
 * region's owner is found by its code; country buckets live in the task of the country's partition of the
 * roll-up's repartition topic (keyed by country).
 */
@Singleton
public final class QueryableState {

    private final StreamsHost host;
    private final AggregatorSettings settings;

    public QueryableState(final StreamsHost host, final AggregatorSettings settings) {
        this.host = host;
        this.settings = settings;
    }

    /** The instance whose active task holds {@code code} at {@code level}, with the partition. */
    public KeyQueryMetadata owner(final Level level, final String code) {
        final KafkaStreams streams = running();
        final KeyQueryMetadata metadata;
        try {
            metadata = streams.queryMetadataForKey(hourlyStore(level), code, Topics.KEY.serializer());
        } catch (final IllegalStateException e) {
            throw rebalancing("Kafka Streams is not running");
        }
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)
                || metadata.activeHost() == null || metadata.activeHost().port() < 0) {
            throw rebalancing("no instance owns " + code + " right now");
        }
        return metadata;
    }

    /** The bucket stores of one partition this instance owns, at {@code level}. */
    public BucketSource buckets(final Level level, final int partition) {
        final KafkaStreams streams = running();
        try {
            final Map<Granularity, ReadOnlyWindowStore<String, Bucket>> stores = new EnumMap<>(Granularity.class);
            for (final Granularity granularity : StoreNames.storedGranularities(host.config())) {
                stores.put(granularity, store(streams, level == Level.REGION
                        ? StoreNames.buckets(Level.REGION, granularity)
                        : StoreNames.buckets(Level.COUNTRY, granularity), partition));
            }
            return level == Level.REGION ? new RegionBuckets(stores) : new CountryBuckets(stores);
        } catch (final InvalidStateStoreException e) {
            throw rebalancing("the state of partition " + partition + " is not queryable here right now");
        }
    }

    /** Every instance's {@code application.server} with the partitions its active tasks hold at {@code level}. */
    public Collection<StreamsMetadata> instances() {
        try {
            return running().metadataForAllStreamsClients();
        } catch (final IllegalStateException e) {
            throw rebalancing("Kafka Streams is not running");
        }
    }

    /** The partitions (of {@code level}'s source topic) whose active task runs on {@code instance}. */
    public Set<Integer> partitions(final StreamsMetadata instance, final Level level) {
        final String topic = sourceTopic(level);
        final Set<Integer> partitions = new TreeSet<>();
        for (final TopicPartition partition : instance.topicPartitions()) {
            if (partition.topic().equals(topic)) {
                partitions.add(partition.partition());
            }
        }
        return partitions;
    }

    /** The partitions at {@code level} this instance serves. */
    public Set<Integer> localPartitions(final Level level) {
        final HostInfo self = self();
        return instances().stream().filter(instance -> instance.hostInfo().equals(self)).findFirst()
                .map(instance -> partitions(instance, level)).orElse(Set.of());
    }

    public HostInfo self() {
        return Objects.requireNonNull(host.self(), "Kafka Streams has not started");
    }

    public boolean isSelf(final HostInfo instance) {
        return instance.equals(host.self());
    }

    /** A 503 with Retry-After: the state is moving between instances (or not restored yet); ask again soon. */
    public ProblemException rebalancing(final String why) {
        return ProblemException.unavailable("The aggregates cannot be queried right now (" + why + "; Kafka Streams"
                + " is " + host.state() + "): the instances are rebalancing or restoring their state. Retry after"
                + " the time in Retry-After; no partial answer is given.", settings.retryAfter());
    }

    private KafkaStreams running() {
        final KafkaStreams streams = host.streams().orElseThrow(() -> rebalancing("Kafka Streams has not started"));
        if (streams.state() != KafkaStreams.State.RUNNING) {
            throw rebalancing("this instance is not RUNNING");
        }
        return streams;
    }

    private static ReadOnlyWindowStore<String, Bucket> store(final KafkaStreams streams, final String name,
                                                             final int partition) {
        return streams.store(StoreQueryParameters.fromNameAndType(name,
                QueryableStoreTypes.<String, Bucket>windowStore()).withPartition(partition));
    }

    private String sourceTopic(final Level level) {
        return level == Level.REGION ? Topics.INCIDENTS.name()
                : host.config().applicationId() + "-" + StoreNames.COUNTRY_SNAPSHOTS + "-repartition";
    }

    private static String hourlyStore(final Level level) {
        return level == Level.REGION ? StoreNames.REGION_HOURLY_STORE : StoreNames.COUNTRY_HOURLY_STORE;
    }
}
