package org.borderwatch.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;

import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.borderwatch.avro.BorderIncident;
import org.borderwatch.avro.Confidence;
import org.borderwatch.avro.DetectionMethod;
import org.borderwatch.avro.DrugSeizure;
import org.borderwatch.avro.DrugType;
import org.borderwatch.avro.GeoPoint;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatType;
import org.junit.jupiter.api.Test;

/**
 * {@link ReportEncoding} must write exactly what Avro's own single-object encoder writes (the generic writer over
 * {@code SpecificData} with the classes' conversions), for any record the generated classes can hold, and must refuse
 * a schema it was not written for.
 */
class ReportEncodingTest {

    private static final int RECORDS = 20_000;
    /** Letters of several scripts, a supplementary character (two UTF-16 units), and an unpaired surrogate. */
    private static final String[] PIECES = {"a", "Z", "7", " ", "-", "\"", "\\", "\n", "\u0000", "é", "ж", "ق",
        "中", "\u00a0", "😀", "𝄞", "\ud83d", "\udc00", "TJ-KT", "Panj river, sector 4"};

    @Test
    void shouldWriteTheBytesOfAvrosEncoderWhenIncidentsAreRandom() {
        final Random random = new Random(20261206L);
        assertSameBytes(BorderIncident.class, BorderIncident.getClassSchema(), () -> incident(random));
    }

    @Test
    void shouldWriteTheBytesOfAvrosEncoderWhenSeizuresAreRandom() {
        final Random random = new Random(42L);
        assertSameBytes(DrugSeizure.class, DrugSeizure.getClassSchema(), () -> seizure(random));
    }

    @Test
    void shouldBeWhatTheSerdeWritesAndReadsBack() {
        final Random random = new Random(7L);
        final AvroSerde<BorderIncident> incidents = AvroSerde.of(BorderIncident.class);
        final AvroSerde<DrugSeizure> seizures = AvroSerde.of(DrugSeizure.class);
        final ReportEncoding.Encoder<BorderIncident> incidentEncoder =
                ReportEncoding.forType(BorderIncident.class, BorderIncident.getClassSchema());
        for (int i = 0; i < 1_000; i++) {
            final BorderIncident incident = incident(random);
            final byte[] bytes = incidents.serialize("t", incident);
            assertThat(bytes).isEqualTo(incidentEncoder.encode(incident));
            // Bytes, not records: an unpaired surrogate reads back as '?', and NaN equals nothing.
            assertThat(incidents.serialize("t", incidents.deserialize("t", bytes))).isEqualTo(bytes);
            final byte[] seizure = seizures.serialize("t", seizure(random));
            assertThat(seizures.serialize("t", seizures.deserialize("t", seizure))).isEqualTo(seizure);
        }
    }

    @Test
    void shouldThrowLikeAvroWhenARequiredFieldIsNull() {
        final BorderIncident incident = incident(new Random(1L));
        incident.setAgencyId(null);
        final BinaryMessageEncoder<BorderIncident> avro = avro(BorderIncident.class, BorderIncident.getClassSchema());

        assertThatThrownBy(() -> avro.encode(incident)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ReportEncoding.forType(BorderIncident.class, BorderIncident.getClassSchema())
                .encode(incident)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void shouldRefuseToBeBuiltWhenTheSchemaChanged() {
        // A change the parsing fingerprint does not see: timestamp-millis to -micros changes the bytes Avro writes.
        final Schema micros = new Schema.Parser().parse(BorderIncident.getClassSchema().toString()
                .replaceFirst("timestamp-millis", "timestamp-micros"));
        final Schema moreFields = new Schema.Parser().parse(DrugSeizure.getClassSchema().toString()
                .replace("\"name\":\"arrests\"", "\"name\":\"suspects\",\"type\":\"int\",\"default\":0},"
                        + "{\"name\":\"arrests\""));

        assertThatThrownBy(() -> ReportEncoding.forType(BorderIncident.class, micros))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("BorderIncident")
                .hasMessageContaining("ReportEncoding");
        assertThatThrownBy(() -> ReportEncoding.forType(DrugSeizure.class, moreFields))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("DrugSeizure");
    }

    @Test
    void shouldPinTheSchemasItWasWrittenFor() {
        assertThat(ReportEncoding.textFingerprint(BorderIncident.getClassSchema()))
                .as("BorderIncident.avsc changed: update ReportEncoding, then its pinned fingerprint")
                .isEqualTo(ReportEncoding.INCIDENT_SCHEMA);
        assertThat(ReportEncoding.textFingerprint(DrugSeizure.getClassSchema()))
                .as("DrugSeizure.avsc changed: update ReportEncoding, then its pinned fingerprint")
                .isEqualTo(ReportEncoding.SEIZURE_SCHEMA);
        assertThat(ReportEncoding.forType(GeoPoint.class, GeoPoint.getClassSchema())).isNull();
    }

    private static <T extends SpecificRecordBase> void assertSameBytes(final Class<T> type, final Schema schema,
                                                                       final java.util.function.Supplier<T> records) {
        final BinaryMessageEncoder<T> avro = avro(type, schema);
        final ReportEncoding.Encoder<T> hand = ReportEncoding.forType(type, schema);
        for (int i = 0; i < RECORDS; i++) {
            final T record = records.get();
            final byte[] expected = bytes(avro, record);
            final byte[] actual = hand.encode(record);
            if (!Arrays.equals(expected, actual)) {
                throw new AssertionError("record " + i + " encoded differently: " + record + "\nAvro: "
                        + Arrays.toString(expected) + "\nhand: " + Arrays.toString(actual));
            }
        }
    }

    /** Avro's encoder as {@link AvroSerde} used it before: the class's model, so its conversions apply. */
    private static <T extends SpecificRecordBase> BinaryMessageEncoder<T> avro(final Class<T> type,
                                                                               final Schema schema) {
        return new BinaryMessageEncoder<>(SpecificData.getForClass(type), schema);
    }

    private static <T> byte[] bytes(final BinaryMessageEncoder<T> avro, final T record) {
        try {
            final ByteBuffer buffer = avro.encode(record);
            final byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (final java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static BorderIncident incident(final Random random) {
        return BorderIncident.newBuilder()
                .setEventId(new UUID(random.nextLong(), random.nextLong()))
                .setAgencyId(text(random, 0, 30))
                .setOccurredAt(instant(random))
                .setReportedAt(instant(random))
                .setRegion(text(random, 0, 8))
                .setBorderSection(random.nextInt(3) == 0 ? null : text(random, 0, 60))
                .setLocation(location(random))
                .setSeverity(pick(random, Severity.values()))
                .setConfidence(pick(random, Confidence.values()))
                .setThreatType(pick(random, ThreatType.values()))
                .setPersonsInvolved(number(random, Random::nextInt))
                .setDetectedBy(pick(random, DetectionMethod.values()))
                .setDescription(random.nextInt(3) == 0 ? null : text(random, 0, random.nextInt(10) == 0 ? 4_000 : 80))
                .build();
    }

    private static DrugSeizure seizure(final Random random) {
        return DrugSeizure.newBuilder()
                .setEventId(new UUID(random.nextLong(), random.nextLong()))
                .setAgencyId(text(random, 0, 30))
                .setOccurredAt(instant(random))
                .setReportedAt(instant(random))
                .setRegion(text(random, 0, 8))
                .setBorderSection(random.nextInt(3) == 0 ? null : text(random, 0, 60))
                .setLocation(location(random))
                .setSeverity(pick(random, Severity.values()))
                .setConfidence(pick(random, Confidence.values()))
                .setDrugType(pick(random, DrugType.values()))
                .setQuantityKg(decimal(random))
                .setDepartureCountry(random.nextInt(3) == 0 ? null : text(random, 0, 3))
                .setDestinationCountry(random.nextInt(3) == 0 ? null : text(random, 0, 3))
                .setConcealment(random.nextInt(3) == 0 ? null : text(random, 0, 200))
                .setArrests(number(random, Random::nextInt))
                .build();
    }

    private static String text(final Random random, final int min, final int max) {
        final int pieces = min + random.nextInt(max - min + 1);
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < pieces; i++) {
            text.append(random.nextInt(4) == 0 ? PIECES[random.nextInt(PIECES.length)]
                    : String.valueOf((char) ('A' + random.nextInt(26))));
        }
        return text.toString();
    }

    /** Any millisecond of years 0000 to 9999, now and then the edges and the epoch. */
    private static Instant instant(final Random random) {
        final long min = Instant.parse("0000-01-01T00:00:00Z").toEpochMilli();
        final long max = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
        return Instant.ofEpochMilli(switch (random.nextInt(8)) {
            case 0 -> min;
            case 1 -> max;
            case 2 -> random.nextInt(3) - 1;
            default -> min + (long) (random.nextDouble() * (max - min));
        });
    }

    private static GeoPoint location(final Random random) {
        return random.nextInt(3) == 0 ? null : new GeoPoint(decimal(random), decimal(random));
    }

    private static double decimal(final Random random) {
        return switch (random.nextInt(10)) {
            case 0 -> -0.0;
            case 1 -> Double.MIN_VALUE;
            case 2 -> -Double.MAX_VALUE;
            case 3 -> Double.longBitsToDouble(random.nextLong()); // NaNs and infinities too
            default -> (random.nextDouble() - 0.5) * 360;
        };
    }

    private static int number(final Random random, final Function<Random, Integer> any) {
        return switch (random.nextInt(6)) {
            case 0 -> Integer.MIN_VALUE;
            case 1 -> Integer.MAX_VALUE;
            case 2 -> random.nextInt(128) - 64;
            default -> any.apply(random);
        };
    }

    private static <E> E pick(final Random random, final E[] values) {
        return values[random.nextInt(values.length)];
    }
}
