package org.borderwatch.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
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

class AvroSerdeTest {

    private static final Instant OCCURRED = Instant.parse("2026-11-28T04:15:00Z").truncatedTo(ChronoUnit.MILLIS);

    static BorderIncident incident() {
        return BorderIncident.newBuilder()
                .setEventId(UUID.fromString("5b0c8d9e-2f1a-4c3b-9d7e-6a5f4e3d2c1b"))
                .setAgencyId("TJ-BORDER-GUARD")
                .setOccurredAt(OCCURRED)
                .setReportedAt(OCCURRED.plusSeconds(600))
                .setRegion("TJ-GB")
                .setBorderSection("Ishkashim")
                .setLocation(new GeoPoint(36.7275, 71.6111))
                .setSeverity(Severity.HIGH)
                .setConfidence(Confidence.CONFIRMED)
                .setThreatType(ThreatType.ARMED_INCURSION)
                .setPersonsInvolved(7)
                .setDetectedBy(DetectionMethod.PATROL)
                .setDescription("Armed group crossed the Panj at night; exchange of fire")
                .build();
    }

    @Test
    void shouldWriteSingleObjectEncodingWithTheSchemaFingerprint() {
        final byte[] bytes = Topics.INCIDENTS.valueSerde().serializer().serialize("t", incident());

        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        final long fingerprint = SchemaNormalization.parsingFingerprint64(BorderIncident.getClassSchema());
        long written = 0;
        for (int i = 0; i < 8; i++) {
            written |= (bytes[2 + i] & 0xFFL) << (8 * i); // little-endian, as the spec says
        }
        assertThat(written).isEqualTo(fingerprint);
    }

    @Test
    void shouldRoundTripEveryFieldWhenEncodingAndDecoding() {
        final DrugSeizure seizure = DrugSeizure.newBuilder()
                .setEventId(UUID.randomUUID()).setAgencyId("UZ-CUSTOMS").setOccurredAt(OCCURRED)
                .setReportedAt(OCCURRED).setRegion("UZ-SU").setSeverity(Severity.CRITICAL)
                .setConfidence(Confidence.PROBABLE).setDrugType(DrugType.HEROIN).setQuantityKg(112.5)
                .setDepartureCountry("AF").setDestinationCountry("RU").setConcealment("truck fuel tank")
                .setArrests(2).build();

        final AvroSerde<DrugSeizure> serde = AvroSerde.of(DrugSeizure.class);
        assertThat(serde.deserialize("t", serde.serialize("t", seizure))).isEqualTo(seizure);
        assertThat(Topics.INCIDENTS.valueSerde().deserializer()
                .deserialize("t", Topics.INCIDENTS.valueSerde().serializer().serialize("t", incident())))
                .isEqualTo(incident());
    }

    @Test
    void shouldDecodeRecordsWrittenWithAnEarlierReleasedVersion() throws IOException {
        // Given a "v1" without the description and personsInvolved fields, released alongside the current schema
        final Schema older = olderIncidentSchema();
        final GenericRecord old = new GenericData.Record(older);
        for (final Schema.Field field : older.getFields()) {
            old.put(field.name(), GenericData.get().deepCopy(field.schema(),
                    incidentAsGeneric().get(field.name())));
        }
        final byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), older).encode(old).array();
        final AvroSerde<BorderIncident> serde = new AvroSerde<>(BorderIncident.class,
                BorderIncident.getClassSchema(), List.of(older));

        // When the current reader decodes it
        final BorderIncident decoded = serde.deserialize("t", bytes);

        // Then the missing fields take their defaults and the rest is intact
        assertThat(decoded.getDescription()).isNull();
        assertThat(decoded.getPersonsInvolved()).isZero();
        assertThat(decoded.getRegion()).isEqualTo("TJ-GB");
        assertThat(decoded.getEventId()).isEqualTo(incident().getEventId());
        assertThat(decoded.getOccurredAt()).isEqualTo(OCCURRED);
    }

    @Test
    void shouldRejectAnUnknownSchemaFingerprintWithASerializationException() throws IOException {
        final Schema older = olderIncidentSchema();
        final GenericRecord old = new GenericData.Record(older);
        for (final Schema.Field field : older.getFields()) {
            old.put(field.name(), GenericData.get().deepCopy(field.schema(), incidentAsGeneric().get(field.name())));
        }
        final byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), older).encode(old).array();

        assertThatThrownBy(() -> Topics.INCIDENTS.valueSerde().deserializer().deserialize("border.incidents.v1", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("BorderIncident").hasMessageContaining("border.incidents.v1");
    }

    @Test
    void shouldRejectBytesThatAreNotSingleObjectEncoded() {
        final byte[] garbage = "{\"region\":\"TJ-GB\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Topics.INCIDENTS.valueSerde().deserializer().deserialize("t", garbage))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> Topics.INCIDENTS.valueSerde().deserializer().deserialize("t", new byte[] {(byte) 0xC3}))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void shouldPassNullThroughForTombstones() {
        assertThat(Topics.ALERT_RULES.valueSerde().serializer().serialize("t", null)).isNull();
        assertThat(Topics.ALERT_RULES.valueSerde().deserializer().deserialize("t", null)).isNull();
    }

    private static GenericRecord incidentAsGeneric() throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final var writer = new org.apache.avro.specific.SpecificDatumWriter<BorderIncident>(BorderIncident.class);
        final var encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(out, null);
        writer.write(incident(), encoder);
        encoder.flush();
        final var reader = new org.apache.avro.generic.GenericDatumReader<GenericRecord>(BorderIncident.getClassSchema());
        return reader.read(null, org.apache.avro.io.DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    }

    private static Schema olderIncidentSchema() throws IOException {
        try (InputStream in = AvroSerdeTest.class.getResourceAsStream("/fixtures/BorderIncident-older.avsc")) {
            return new Schema.Parser().parse(in);
        }
    }
}
