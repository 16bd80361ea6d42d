package org.borderwatch.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.errors.TopologyException;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.junit.jupiter.api.Test;

class AggregatorTopologyTest {

    @Test
    void shouldBuildWhenEveryInternalResourceMustBeExplicitlyNamed() {
        final String description = AggregatorTopology.build(AggregatorConfig.defaults()).describe().toString();

        assertThat(description).contains(AggregatorTopology.INCIDENTS_SOURCE, AggregatorTopology.SEIZURES_SOURCE,
                AggregatorTopology.REGION_PROCESSOR, AggregatorTopology.COUNTRY_PROCESSOR,
                AggregatorTopology.COUNTRY_SNAPSHOTS + "-repartition", AggregatorTopology.RULES_STORE,
                AggregatorTopology.EVENT_IDS_STORE, AggregatorTopology.REGION_HOURLY_STORE,
                AggregatorTopology.REGION_DAILY_STORE, AggregatorTopology.REGION_PENDING_STORE,
                AggregatorTopology.REGION_BREACHES_STORE, AggregatorTopology.COUNTRY_HOURLY_STORE,
                AggregatorTopology.COUNTRY_DAILY_STORE, AggregatorTopology.COUNTRY_PENDING_STORE,
                AggregatorTopology.COUNTRY_BREACHES_STORE);
        assertThat(description).doesNotContain("KSTREAM-", "KTABLE-", "-STATE-STORE-");
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
