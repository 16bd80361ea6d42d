package org.borderwatch.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.TopologyException;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.borderwatch.aggregator.config.AggregatorConfig;
import org.borderwatch.aggregator.store.StoreNames;
import org.borderwatch.aggregator.window.WindowSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AggregatorTopologyTest {

    @TempDir
    Path stateDir;

    @Test
    void shouldBuildWhenEveryInternalResourceMustBeExplicitlyNamed() {
        final String description = AggregatorTopology.build(AggregatorConfig.defaults()).describe().toString();

        assertThat(description).contains(AggregatorTopology.INCIDENTS_SOURCE, AggregatorTopology.SEIZURES_SOURCE,
                AggregatorTopology.REGION_PROCESSOR, AggregatorTopology.COUNTRY_PROCESSOR,
                StoreNames.COUNTRY_SNAPSHOTS + "-repartition", StoreNames.RULES_STORE,
                StoreNames.EVENT_ID_BATCHES_STORE, StoreNames.EVENT_IDS_STORE, StoreNames.REGION_HOURLY_STORE,
                StoreNames.REGION_DAILY_STORE, StoreNames.REGION_PENDING_STORE,
                StoreNames.REGION_BREACHES_STORE, StoreNames.COUNTRY_HOURLY_STORE,
                StoreNames.COUNTRY_DAILY_STORE, StoreNames.COUNTRY_PENDING_STORE,
                StoreNames.COUNTRY_BREACHES_STORE);
        assertThat(description).doesNotContain("KSTREAM-", "KTABLE-", "-STATE-STORE-");
    }

    /**
     * The default configuration's state stores, and so its changelog topics: every one of the first release, which a
     * rolling upgrade keeps (and restores) only if these names never change, plus {@code event-id-batches}, added
     * with the batched dedup ({@code event-ids} is still restored and read, see {@code StoreNames}).
     */
    @Test
    void shouldKeepTheStoresAndChangelogsOfEarlierReleasesWhenDefaultsAreUsed() {
        final TopologyDescription description = AggregatorTopology.build(AggregatorConfig.defaults()).describe();

        assertThat(storesByProcessor(description)).containsOnly(
                entry("region-aggregator", Set.of("event-id-batches", "event-ids", "region-hourly-buckets",
                        "region-daily-buckets", "region-pending-emits", "region-breaches")),
                entry("country-aggregator", Set.of("country-hourly-buckets", "country-daily-buckets",
                        "country-pending-emits", "country-breaches")));
        assertThat(description.globalStores()).hasSize(1);
        assertThat(description.globalStores().iterator().next().processor().stores()).containsOnly("alert-rules");
        assertThat(internalTopics(description)).containsOnly("country-snapshots-repartition");
        // Changelogs are <application.id>-<store>-changelog; every store above is logged.
        final Properties properties = AggregatorConfig.defaults().streamsProperties();
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(
                AggregatorTopology.build(AggregatorConfig.defaults()), properties)) {
            assertThat(driver.getAllStateStores().keySet()).containsExactlyInAnyOrder("event-id-batches", "event-ids",
                    "region-hourly-buckets", "region-daily-buckets", "region-pending-emits", "region-breaches",
                    "country-hourly-buckets", "country-daily-buckets", "country-pending-emits", "country-breaches",
                    "alert-rules");
            for (final String store : driver.getAllStateStores().keySet()) {
                if (!store.equals("alert-rules")) {
                    assertThat(driver.getAllStateStores().get(store).persistent()).as(store).isTrue();
                }
            }
        }
    }

    @Test
    void shouldAddMinutelyStoresOnlyWhenAWindowIsNotWholeHours() {
        final AggregatorConfig minutes = AggregatorConfig.defaults().withWindows(List.of(
                WindowSpec.tumbling("PT1M"), WindowSpec.hopping("PT10M", "PT1M"), WindowSpec.tumbling("PT1H"),
                WindowSpec.hopping("PT24H", "PT1H"), WindowSpec.hopping("P7D", "P1D")));

        final Map<String, Set<String>> stores = storesByProcessor(AggregatorTopology.build(minutes).describe());

        assertThat(stores.get(AggregatorTopology.REGION_PROCESSOR)).containsExactlyInAnyOrder("event-id-batches",
                "event-ids",
                "region-hourly-buckets", "region-daily-buckets", "region-pending-emits", "region-breaches",
                StoreNames.REGION_MINUTELY_STORE);
        assertThat(stores.get(AggregatorTopology.COUNTRY_PROCESSOR)).containsExactlyInAnyOrder(
                "country-hourly-buckets", "country-daily-buckets", "country-pending-emits", "country-breaches",
                StoreNames.COUNTRY_MINUTELY_STORE);
        assertThat(StoreNames.REGION_MINUTELY_STORE).isEqualTo("region-minutely-buckets");
        assertThat(StoreNames.COUNTRY_MINUTELY_STORE).isEqualTo("country-minutely-buckets");
        assertThat(storesByProcessor(AggregatorTopology.build(AggregatorConfig.defaults().withWindows(
                List.of(WindowSpec.tumbling("PT1H")))).describe()).values().stream().flatMap(Set::stream))
                .doesNotContain(StoreNames.REGION_MINUTELY_STORE, StoreNames.COUNTRY_MINUTELY_STORE);
    }

    private static Map<String, Set<String>> storesByProcessor(final TopologyDescription description) {
        final Map<String, Set<String>> stores = new TreeMap<>();
        for (final TopologyDescription.Subtopology subtopology : description.subtopologies()) {
            for (final TopologyDescription.Node node : subtopology.nodes()) {
                if (node instanceof TopologyDescription.Processor processor && !processor.stores().isEmpty()) {
                    stores.put(processor.name(), processor.stores());
                }
            }
        }
        return stores;
    }

    private static Set<String> internalTopics(final TopologyDescription description) {
        final Set<String> topics = new TreeSet<>();
        for (final TopologyDescription.Subtopology subtopology : description.subtopologies()) {
            for (final TopologyDescription.Node node : subtopology.nodes()) {
                if (node instanceof TopologyDescription.Sink sink && sink.topic() != null
                        && sink.topic().endsWith("-repartition")) {
                    topics.add(sink.topic());
                }
            }
        }
        return topics;
    }

    @Test
    void shouldRefuseAnUnnamedStoreWhenNamingIsEnforced() {
        // The same configuration rejects a DSL step whose store would get a generated name: the check is live.
        final StreamsBuilder builder = new StreamsBuilder(
                new TopologyConfig(new StreamsConfig(AggregatorConfig.defaults().streamsProperties())));
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()).withName("in"))
                .groupByKey().count(Named.as("count"));

        assertThatThrownBy(builder::build).isInstanceOf(TopologyException.class)
                .hasMessageContaining("has not been named");
    }
}
