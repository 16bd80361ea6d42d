package org.borderwatch.aggregator;

import static org.borderwatch.aggregator.Reports.at;

import java.util.LinkedHashMap;
import java.util.Map;

import org.borderwatch.aggregator.window.AggregateKey;
import org.borderwatch.avro.ThreatAggregate;
import org.borderwatch.avro.ThreatType;

/** Expected output records, built field by field. */
final class Expected {

    private Expected() {
    }

    /** An aggregate with every figure at zero; set the figures the test expects. */
    static ThreatAggregate.Builder aggregate(final String code, final ThreatType threatType, final String window,
                                             final String start, final String end) {
        return ThreatAggregate.newBuilder()
                .setRegion(code)
                .setThreatType(threatType)
                .setWindow(window)
                .setWindowStart(at(start))
                .setWindowEnd(at(end))
                .setEventCount(0)
                .setSeizureKg(0)
                .setSeizureKgByDrug(new LinkedHashMap<>())
                .setSeverityScore(0)
                .setMaxSeverity(null)
                .setDistinctAgencies(0)
                .setLastEventAt(null);
    }

    /** The aggregates keyed as on the output topic. */
    static Map<String, ThreatAggregate> keyed(final ThreatAggregate... aggregates) {
        final Map<String, ThreatAggregate> keyed = new LinkedHashMap<>();
        for (final ThreatAggregate aggregate : aggregates) {
            keyed.put(AggregateKey.of(aggregate), aggregate);
        }
        return keyed;
    }

    /** Each aggregate, and the same figures for the region's country (a country with one reporting region). */
    static Map<String, ThreatAggregate> regionAndCountry(final ThreatAggregate... aggregates) {
        final Map<String, ThreatAggregate> keyed = keyed(aggregates);
        for (final ThreatAggregate aggregate : aggregates) {
            final String country = aggregate.getRegion().substring(0, aggregate.getRegion().indexOf('-'));
            final ThreatAggregate rolledUp = ThreatAggregate.newBuilder(aggregate).setRegion(country).build();
            keyed.put(AggregateKey.of(rolledUp), rolledUp);
        }
        return keyed;
    }
}
