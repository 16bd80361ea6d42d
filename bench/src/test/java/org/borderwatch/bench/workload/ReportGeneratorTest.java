package org.borderwatch.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.borderwatch.avro.BorderIncident;
import org.borderwatch.avro.DrugSeizure;
import org.borderwatch.avro.ThreatType;
import org.borderwatch.schemas.Topics;
import org.junit.jupiter.api.Test;

class ReportGeneratorTest {

    private static final long T0 = 1_772_445_600_000L;

    @Test
    void shouldProduceRecordsOfAbout180BytesWhenMixingIncidentsAndSeizures() {
        final ReportGenerator generator = new ReportGenerator(1, Region.CENTRAL_ASIA);

        final double average = IntStream.range(0, 10_000)
                .mapToObj(i -> generator.next(T0 + i, T0 + i + 1_000))
                .mapToInt(report -> report.value().length).average().orElseThrow();

        assertThat(average).isBetween(170.0, 190.0);
    }

    @Test
    void shouldDescribeThePublishedBytesWhenTheyAreDecoded() {
        final ReportGenerator generator = new ReportGenerator(7, List.of(Region.CENTRAL_ASIA.get(0)));

        final PublishedReport incident = generator.incident(Region.CENTRAL_ASIA.get(0), T0, T0 + 5);
        final PublishedReport seizure = generator.seizure(Region.CENTRAL_ASIA.get(0), T0, T0 + 5);

        final BorderIncident decodedIncident = Topics.INCIDENTS.valueSerde().deserializer()
                .deserialize(incident.topic(), incident.value());
        assertThat(incident.key()).isEqualTo("TJ-DU").isEqualTo(decodedIncident.getRegion());
        assertThat(incident.eventId()).isEqualTo(decodedIncident.getEventId());
        assertThat(incident.threatType()).isEqualTo(decodedIncident.getThreatType()).isNotEqualTo(
                ThreatType.DRUG_TRAFFICKING);
        assertThat(incident.drugType()).isNull();
        assertThat(incident.timestamp()).isEqualTo(T0 + 5);
        final DrugSeizure decodedSeizure = Topics.SEIZURES.valueSerde().deserializer()
                .deserialize(seizure.topic(), seizure.value());
        assertThat(seizure.threatType()).isEqualTo(ThreatType.DRUG_TRAFFICKING);
        assertThat(seizure.quantityKg()).isEqualTo(decodedSeizure.getQuantityKg());
        assertThat(seizure.quantityKg() * 4).as("whole quarter kilograms").isEqualTo(Math.rint(seizure.quantityKg() * 4));
    }

    @Test
    void shouldSpreadReportsOverEveryRegionWhenGeneratingMany() {
        final ReportGenerator generator = new ReportGenerator(3, Region.CENTRAL_ASIA);

        final Set<String> regions = IntStream.range(0, 5_000).mapToObj(i -> generator.next(T0, T0).region())
                .collect(Collectors.toSet());

        assertThat(regions).hasSize(51);
    }
}
