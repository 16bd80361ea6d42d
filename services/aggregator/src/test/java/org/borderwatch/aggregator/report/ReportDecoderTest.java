package org.borderwatch.aggregator.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Function;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.borderwatch.avro.BorderIncident;
import org.borderwatch.avro.Confidence;
import org.borderwatch.avro.DetectionMethod;
import org.borderwatch.avro.DrugSeizure;
import org.borderwatch.avro.DrugType;
import org.borderwatch.avro.GeoPoint;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatType;
import org.borderwatch.schemas.Topics;
import org.junit.jupiter.api.Test;

/**
 * {@link ReportDecoder} gives Avro's answer: for random records of both types the same {@link Report} as Avro's reader
 * followed by {@link Report#of}, and for every prefix of some of them and for random damage to all of them, an error
 * exactly where Avro has one and the same report where it has none.
 */
class ReportDecoderTest {

    private static final int RECORDS = 3_000;
    private static final String[] TEXTS = {"", "TJ-KT", "agency-tj-border-guard", "Ишкашим", "بدخشان",
        "帕米尔", "emoji 🛂🚧", "a\u0000b", "\uFFFD", "x".repeat(300), "\"quoted\" \\ back"};

    @Test
    void decodesIncidentsAsAvroDoes() {
        check(Topics.INCIDENTS.name(), Topics.INCIDENTS.valueSerde().serializer(),
                Topics.INCIDENTS.valueSerde().deserializer(), ReportSerde.incidents(),
                incident -> Report.of(incident, null), ReportDecoderTest::incident);
    }

    @Test
    void decodesSeizuresAsAvroDoes() {
        check(Topics.SEIZURES.name(), Topics.SEIZURES.valueSerde().serializer(),
                Topics.SEIZURES.valueSerde().deserializer(), ReportSerde.seizures(),
                seizure -> Report.of(seizure, null), ReportDecoderTest::seizure);
    }

    @Test
    void namesTheTypeAndTheTopicInItsErrors() {
        final byte[] bytes = Topics.INCIDENTS.valueSerde().serializer().serialize(Topics.INCIDENTS.name(),
                incident(new SplittableRandom(1)));
        assertThatThrownBy(() -> ReportSerde.incidents().deserialize(Topics.INCIDENTS.name(),
                Arrays.copyOf(bytes, 20)))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("cannot decode BorderIncident from topic border.incidents.v1");
    }

    private static <T> void check(final String topic, final Serializer<T> serializer,
                                  final Deserializer<T> avro, final ReportSerde serde,
                                  final Function<T, Report> toReport, final Function<SplittableRandom, T> generator) {
        final SplittableRandom random = new SplittableRandom(20261207);
        int damagedDecoded = 0;
        int damagedRefused = 0;
        for (int i = 0; i < RECORDS; i++) {
            final byte[] bytes = serializer.serialize(topic, generator.apply(random));
            final Report expected = withPayload(toReport.apply(avro.deserialize(topic, bytes)), bytes);
            assertThat(serde.deserialize(topic, bytes)).as("record %d", i).isEqualTo(expected);
            if (i % 50 == 0) {
                for (int length = 0; length < bytes.length; length++) {
                    same(topic, avro, serde, toReport, Arrays.copyOf(bytes, length), "prefix " + length);
                }
            }
            for (int d = 0; d < 20; d++) {
                final byte[] damaged = damage(bytes, random);
                if (same(topic, avro, serde, toReport, damaged, "damage " + d + " of record " + i)) {
                    damagedDecoded++;
                } else {
                    damagedRefused++;
                }
            }
        }
        // Both outcomes come up often enough for the comparison to mean something.
        assertThat(damagedDecoded).isGreaterThan(RECORDS);
        assertThat(damagedRefused).isGreaterThan(RECORDS);
    }

    /** Avro and the serde agree on {@code bytes}; true when both decoded them. */
    private static <T> boolean same(final String topic, final Deserializer<T> avro, final ReportSerde serde,
                                    final Function<T, Report> toReport, final byte[] bytes, final String what) {
        Report expected = null;
        RuntimeException avroError = null;
        try {
            expected = withPayload(toReport.apply(avro.deserialize(topic, bytes)), bytes);
        } catch (final RuntimeException e) {
            avroError = e;
        }
        if (avroError != null) {
            assertThatThrownBy(() -> serde.deserialize(topic, bytes)).as(what + ": Avro refused with " + avroError)
                    .isInstanceOf(SerializationException.class);
            return false;
        }
        assertThat(serde.deserialize(topic, bytes)).as(what).isEqualTo(expected);
        return true;
    }

    private static Report withPayload(final Report report, final byte[] payload) {
        return new Report(report.eventId(), report.agencyId(), report.occurredAt(), report.region(),
                report.threatType(), report.severity(), report.confidence(), report.drugType(), report.quantityKg(),
                payload);
    }

    /** One to three changed, inserted or removed bytes, anywhere after the marker. */
    private static byte[] damage(final byte[] bytes, final SplittableRandom random) {
        byte[] damaged = bytes.clone();
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            final int at = 2 + random.nextInt(Math.max(1, damaged.length - 2));
            switch (random.nextInt(3)) {
                case 0 -> damaged[Math.min(at, damaged.length - 1)] = (byte) random.nextInt(256);
                case 1 -> {
                    final byte[] longer = new byte[damaged.length + 1];
                    System.arraycopy(damaged, 0, longer, 0, at);
                    longer[at] = (byte) random.nextInt(256);
                    System.arraycopy(damaged, at, longer, at + 1, damaged.length - at);
                    damaged = longer;
                }
                default -> {
                    if (damaged.length > 3) {
                        final int from = Math.min(at, damaged.length - 1);
                        final byte[] shorter = new byte[damaged.length - 1];
                        System.arraycopy(damaged, 0, shorter, 0, from);
                        System.arraycopy(damaged, from + 1, shorter, from, damaged.length - from - 1);
                        damaged = shorter;
                    }
                }
            }
        }
        return damaged;
    }

    private static BorderIncident incident(final SplittableRandom random) {
        return BorderIncident.newBuilder()
                .setEventId(new UUID(random.nextLong(), random.nextLong()))
                .setAgencyId(text(random))
                .setOccurredAt(instant(random))
                .setReportedAt(instant(random))
                .setRegion(text(random))
                .setBorderSection(random.nextBoolean() ? null : text(random))
                .setLocation(random.nextBoolean() ? null : new GeoPoint(number(random), number(random)))
                .setSeverity(pick(Severity.values(), random))
                .setConfidence(pick(Confidence.values(), random))
                .setThreatType(pick(ThreatType.values(), random))
                .setPersonsInvolved(random.nextInt())
                .setDetectedBy(pick(DetectionMethod.values(), random))
                .setDescription(random.nextBoolean() ? null : text(random))
                .build();
    }

    private static DrugSeizure seizure(final SplittableRandom random) {
        return DrugSeizure.newBuilder()
                .setEventId(new UUID(random.nextLong(), random.nextLong()))
                .setAgencyId(text(random))
                .setOccurredAt(instant(random))
                .setReportedAt(instant(random))
                .setRegion(text(random))
                .setBorderSection(random.nextBoolean() ? null : text(random))
                .setLocation(random.nextBoolean() ? null : new GeoPoint(number(random), number(random)))
                .setSeverity(pick(Severity.values(), random))
                .setConfidence(pick(Confidence.values(), random))
                .setDrugType(pick(DrugType.values(), random))
                .setQuantityKg(number(random))
                .setDepartureCountry(random.nextBoolean() ? null : text(random))
                .setDestinationCountry(random.nextBoolean() ? null : text(random))
                .setConcealment(random.nextBoolean() ? null : text(random))
                .setArrests(random.nextInt())
                .build();
    }

    private static String text(final SplittableRandom random) {
        return TEXTS[random.nextInt(TEXTS.length)] + (random.nextBoolean() ? "" : Integer.toString(random.nextInt()));
    }

    private static Instant instant(final SplittableRandom random) {
        return Instant.ofEpochMilli(random.nextBoolean() ? random.nextLong(0, 4_000_000_000_000L) : random.nextLong());
    }

    private static double number(final SplittableRandom random) {
        final double[] edges = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
            Double.MIN_VALUE, Double.MAX_VALUE};
        return random.nextInt(4) == 0 ? edges[random.nextInt(edges.length)] : random.nextDouble(-1e6, 1e6);
    }

    private static <E> E pick(final E[] values, final SplittableRandom random) {
        return values[random.nextInt(values.length)];
    }
}
