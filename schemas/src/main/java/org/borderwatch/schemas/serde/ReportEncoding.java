package org.borderwatch.schemas.serde;

import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryData;
import org.apache.avro.specific.SpecificRecordBase;
import org.borderwatch.avro.BorderIncident;
import org.borderwatch.avro.DrugSeizure;
import org.borderwatch.avro.GeoPoint;

/**
 * Single-object encoding of the two report types written by hand, field by field, byte for byte what
 * {@link org.apache.avro.message.BinaryMessageEncoder} writes. The generated classes of {@code BorderIncident} and
 * {@code DrugSeizure} get no {@code customEncode} (their logical types: uuid, timestamp-millis), so Avro's writer
 * walks the schema and looks up a conversion for every field of every record; ingest encodes one of these per
 * accepted report, and that walk was a sixth of its request thread's CPU under batch load (perf, December 2026).
 *
 * <p>Each encoder is written for one exact schema: it pins a fingerprint of the schema's full text (logical types
 * and all, which the parsing fingerprint leaves out) and refuses to be built for any other, so a schema change
 * stops every service at start, and {@code ReportEncodingTest} first, until the encoder is brought up to date.
 * {@code ReportEncodingTest} compares the bytes with Avro's own writer over many random records.
 */
final class ReportEncoding {

    /** Encodes one record; a null where the schema allows none throws {@link NullPointerException}, as Avro does. */
    interface Encoder<T> {
        byte[] encode(T record);
    }

    /** {@code fingerprint64} of {@code BorderIncident.getClassSchema().toString()}; see {@link #textFingerprint}. */
    static final long INCIDENT_SCHEMA = 0x6a6e8d5a6a269dadL;
    /** {@code fingerprint64} of {@code DrugSeizure.getClassSchema().toString()}. */
    static final long SEIZURE_SCHEMA = 0x7105bd3f4d6334d0L;

    private static final byte[] MARKER = {(byte) 0xC3, 0x01};
    private static final int INITIAL_BUFFER = 1024;
    private static final ThreadLocal<Buffer> BUFFERS = ThreadLocal.withInitial(Buffer::new);

    private ReportEncoding() {
    }

    /** The hand-written encoder of {@code type} for {@code schema}, or null when there is none for the type. */
    @SuppressWarnings("unchecked")
    static <T extends SpecificRecordBase> Encoder<T> forType(final Class<T> type, final Schema schema) {
        if (type == BorderIncident.class) {
            final byte[] header = header(schema, INCIDENT_SCHEMA);
            final Encoder<BorderIncident> encoder = record -> incident(header, record);
            return (Encoder<T>) encoder;
        }
        if (type == DrugSeizure.class) {
            final byte[] header = header(schema, SEIZURE_SCHEMA);
            final Encoder<DrugSeizure> encoder = record -> seizure(header, record);
            return (Encoder<T>) encoder;
        }
        return null;
    }

    /** The fingerprint an encoder pins: CRC-64-AVRO of the schema's full JSON text. */
    static long textFingerprint(final Schema schema) {
        return SchemaNormalization.fingerprint64(schema.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] header(final Schema schema, final long pinned) {
        final long actual = textFingerprint(schema);
        if (actual != pinned) {
            throw new IllegalStateException("The hand-written Avro encoder of " + schema.getFullName() + " was"
                    + " written for the schema with text fingerprint " + Long.toHexString(pinned) + ", but the schema"
                    + " is now " + Long.toHexString(actual) + ": bring ReportEncoding up to date with the schema, then"
                    + " pin the new fingerprint (ReportEncodingTest compares it with Avro's own writer).");
        }
        final byte[] fingerprint;
        try {
            // As BinaryMessageEncoder: the parsing fingerprint's 8 bytes, little-endian.
            fingerprint = SchemaNormalization.parsingFingerprint("CRC-64-AVRO", schema);
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("Avro lost its own CRC-64-AVRO fingerprint", e);
        }
        final byte[] header = Arrays.copyOf(MARKER, MARKER.length + fingerprint.length);
        System.arraycopy(fingerprint, 0, header, MARKER.length, fingerprint.length);
        return header;
    }

    private static byte[] incident(final byte[] header, final BorderIncident record) {
        final Buffer out = BUFFERS.get().start(header);
        common(out, record.getEventId(), record.getAgencyId(), record.getOccurredAt(), record.getReportedAt(),
                record.getRegion(), record.getBorderSection(), record.getLocation());
        out.writeInt(record.getSeverity().ordinal());
        out.writeInt(record.getConfidence().ordinal());
        out.writeInt(record.getThreatType().ordinal());
        out.writeInt(record.getPersonsInvolved());
        out.writeInt(record.getDetectedBy().ordinal());
        out.writeOptionalString(record.getDescription());
        return out.toByteArray();
    }

    private static byte[] seizure(final byte[] header, final DrugSeizure record) {
        final Buffer out = BUFFERS.get().start(header);
        common(out, record.getEventId(), record.getAgencyId(), record.getOccurredAt(), record.getReportedAt(),
                record.getRegion(), record.getBorderSection(), record.getLocation());
        out.writeInt(record.getSeverity().ordinal());
        out.writeInt(record.getConfidence().ordinal());
        out.writeInt(record.getDrugType().ordinal());
        out.writeDouble(record.getQuantityKg());
        out.writeOptionalString(record.getDepartureCountry());
        out.writeOptionalString(record.getDestinationCountry());
        out.writeOptionalString(record.getConcealment());
        out.writeInt(record.getArrests());
        return out.toByteArray();
    }

    /** The fields both reports begin with, in schema order. */
    private static void common(final Buffer out, final UUID eventId, final String agencyId, final Instant occurredAt,
                               final Instant reportedAt, final String region, final String borderSection,
                               final GeoPoint location) {
        out.writeString(eventId.toString()); // logicalType uuid: its canonical text
        out.writeString(agencyId);
        out.writeLong(occurredAt.toEpochMilli()); // logicalType timestamp-millis
        out.writeLong(reportedAt.toEpochMilli());
        out.writeString(region);
        out.writeOptionalString(borderSection);
        if (location == null) {
            out.writeInt(0); // union branch 0: null
        } else {
            out.writeInt(1);
            out.writeDouble(location.getLatitude());
            out.writeDouble(location.getLongitude());
        }
    }

    /** A growing array per thread, with Avro's own encodings of the primitives ({@link BinaryData}). */
    private static final class Buffer {

        private byte[] bytes = new byte[INITIAL_BUFFER];
        private int position;

        Buffer start(final byte[] header) {
            position = 0;
            ensure(header.length);
            System.arraycopy(header, 0, bytes, 0, header.length);
            position = header.length;
            return this;
        }

        void writeInt(final int value) {
            ensure(5);
            position += BinaryData.encodeInt(value, bytes, position);
        }

        void writeLong(final long value) {
            ensure(10);
            position += BinaryData.encodeLong(value, bytes, position);
        }

        void writeDouble(final double value) {
            ensure(8);
            position += BinaryData.encodeDouble(value, bytes, position);
        }

        /** Length, then UTF-8, as {@code BinaryEncoder.writeString(String)}. */
        void writeString(final String value) {
            final byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            ensure(5 + utf8.length);
            position += BinaryData.encodeInt(utf8.length, bytes, position);
            System.arraycopy(utf8, 0, bytes, position, utf8.length);
            position += utf8.length;
        }

        /** A {@code ["null", "string"]} union: branch 0 for null, else branch 1 and the string. */
        void writeOptionalString(final String value) {
            if (value == null) {
                writeInt(0);
            } else {
                writeInt(1);
                writeString(value);
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, position);
        }

        private void ensure(final int more) {
            if (position + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, position + more));
            }
        }
    }
}
