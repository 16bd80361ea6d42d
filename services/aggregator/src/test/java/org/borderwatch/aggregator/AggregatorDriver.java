package org.borderwatch.aggregator;

import org.borderwatch.aggregator.config.AggregatorConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.borderwatch.aggregator.metrics.AggregatorMetrics;
import org.borderwatch.avro.AlertRule;
import org.borderwatch.avro.BorderIncident;
import org.borderwatch.avro.Breach;
import org.borderwatch.avro.DrugSeizure;
import org.borderwatch.avro.LateEvent;
import org.borderwatch.avro.ThreatAggregate;
import org.borderwatch.schemas.Topic;
import org.borderwatch.schemas.Topics;

/**
 * The aggregator topology in a {@link TopologyTestDriver}, with every topic typed from the registry. Reports are
 * published with their occurredAt as the record timestamp. Wall-clock time starts at {@link #WALL_CLOCK_START}, long
 * before the test data, so the evaluation time is stream time until a test moves the wall clock onto the test day.
 */
final class AggregatorDriver implements AutoCloseable {

    static final Instant WALL_CLOCK_START = Instant.parse("2026-01-01T00:00:00Z");

    final TopologyTestDriver driver;
    final TestInputTopic<String, BorderIncident> incidents;
    final TestInputTopic<String, DrugSeizure> seizures;
    final TestInputTopic<String, AlertRule> rules;
    final TestInputTopic<String, byte[]> rawIncidents;
    final TestInputTopic<String, byte[]> rawRules;
    final TestOutputTopic<String, ThreatAggregate> aggregates;
    final TestOutputTopic<String, Breach> breaches;
    final TestOutputTopic<String, LateEvent> lateEvents;
    final TestOutputTopic<byte[], byte[]> deadLetters;
    private final AggregatorConfig config;
    private Instant wallClock = WALL_CLOCK_START;

    AggregatorDriver(final AggregatorConfig config, final Path stateDir) {
        this(config, stateDir, new Properties());
    }

    AggregatorDriver(final AggregatorConfig config, final Path stateDir, final Properties overrides) {
        // The driver's punctuations run back to back in real time, and the emit pacer measures real time: a slow
        // first emit (a cold JVM) would defer the next one the test expects. EmitPacerTest covers the pacing.
        this.config = config.withEmitTimeShare(1);
        final Properties properties = this.config.streamsProperties();
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        properties.putAll(overrides);
        this.driver = new TopologyTestDriver(AggregatorTopology.build(this.config), properties, WALL_CLOCK_START);
        this.incidents = input(Topics.INCIDENTS);
        this.seizures = input(Topics.SEIZURES);
        this.rules = input(Topics.ALERT_RULES);
        this.rawIncidents = driver.createInputTopic(Topics.INCIDENTS.name(), new StringSerializer(),
                new ByteArraySerializer());
        this.rawRules = driver.createInputTopic(Topics.ALERT_RULES.name(), new StringSerializer(),
                new ByteArraySerializer());
        this.aggregates = output(Topics.THREAT_AGGREGATES);
        this.breaches = output(Topics.BREACHES);
        this.lateEvents = output(Topics.LATE_EVENTS);
        this.deadLetters = driver.createOutputTopic(Topics.DEADLETTER.name(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    /**
     * A driver for tests of undecodable bytes. Kafka Streams decodes a record when it is enqueued, so its
     * dead-letter record is sent before the driver processes anything; under exactly-once that send sits in the mock
     * producer's open transaction, and TopologyTestDriver clears the mock producer (uncommitted sends included)
     * before it processes the queue, so the dead letter never shows. A real producer commits it with the
     * transaction. At-least-once sends it outside a transaction, where the driver sees it.
     */
    static AggregatorDriver atLeastOnce(final AggregatorConfig config, final Path stateDir) {
        final Properties overrides = new Properties();
        overrides.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        return new AggregatorDriver(config, stateDir, overrides);
    }

    void publish(final BorderIncident incident) {
        incidents.pipeInput(incident.getRegion(), incident, incident.getOccurredAt());
    }

    void publish(final DrugSeizure seizure) {
        seizures.pipeInput(seizure.getRegion(), seizure, seizure.getOccurredAt());
    }

    void publish(final AlertRule rule) {
        rules.pipeInput(rule.getRuleId(), rule);
    }

    void deleteRule(final String ruleId) {
        rules.pipeInput(ruleId, null);
    }

    /** One punctuation: region windows and breaches; the roll-up snapshots reach the country stage. */
    void tick() {
        advanceWallClock(config.punctuationInterval());
    }

    /** Two punctuations: everything published so far is emitted, country roll-ups included. */
    void flush() {
        tick();
        tick();
    }

    /** Moves the wall clock to {@code time}: one punctuation, at that time. */
    void advanceWallClockTo(final Instant time) {
        advanceWallClock(Duration.between(wallClock, time));
    }

    /** The aggregator's own metric {@code <name>-total}, summed over tasks. */
    double metricTotal(final String name) {
        double total = 0;
        for (final var entry : driver.metrics().entrySet()) {
            final MetricName metricName = entry.getKey();
            if (metricName.group().equals(AggregatorMetrics.GROUP)
                    && metricName.name().equals(AggregatorMetrics.total(name))) {
                total += ((Number) ((Metric) entry.getValue()).metricValue()).doubleValue();
            }
        }
        return total;
    }

    private void advanceWallClock(final Duration duration) {
        wallClock = wallClock.plus(duration);
        driver.advanceWallClockTime(duration);
    }

    /** The values written to a state store's changelog so far, in order. */
    <V> List<V> changelogValues(final String store, final Deserializer<V> values) {
        return driver.createOutputTopic(config.applicationId() + "-" + store + "-changelog",
                new ByteArrayDeserializer(), values).readValuesToList();
    }

    private <V> TestInputTopic<String, V> input(final Topic<String, V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    private <V> TestOutputTopic<String, V> output(final Topic<String, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
    }

    @Override
    public void close() {
        driver.close();
    }
}
