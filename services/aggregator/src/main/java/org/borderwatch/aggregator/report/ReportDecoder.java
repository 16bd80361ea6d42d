package org.borderwatch.aggregator.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;
import org.borderwatch.avro.BorderIncident;
import org.borderwatch.avro.Confidence;
import org.borderwatch.avro.DetectionMethod;
import org.borderwatch.avro.DrugSeizure;
import org.borderwatch.avro.DrugType;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatType;

/**
 * Reads a report of the current schema straight into a {@link Report}, field by field with Avro's own
 * {@link BinaryDecoder}, instead of building the generated record first: no record object, no {@code Instant}s, no
 * {@code GeoPoint}, no boxed doubles and no strings for the fields the aggregates do not use (border section,
 * description, countries, concealment), which are still read, into one reused buffer, so a malformed one fails as it
 * would have. Decoding was 17 % of the aggregator's samples in a 1,000,000-event catch-up, most of it in the generic
 * reader's field setters, logical-type conversions and strings (JFR, 7 December 2026).
 *
 * <p>Only for the exact schema it was written for: it pins a fingerprint of each schema's full text, and the
 * {@link ReportSerde} of a schema it does not know refuses to be built, so a schema change stops the aggregator's
 * tests until this reader is brought up to date. Records of a released older version (another fingerprint) are
 * decoded by Avro's resolving reader as before. {@code ReportDecoderTest} holds it to Avro's answer (the same report,
 * or an error where Avro has one) over random records, every prefix of them and random damage.
 */
final class ReportDecoder {

    /** {@code fingerprint64} of {@code BorderIncident.getClassSchema().toString()}. */
    static final long INCIDENT_SCHEMA = 0x6a6e8d5a6a269dadL;
    /** {@code fingerprint64} of {@code DrugSeizure.getClassSchema().toString()}. */
    static final long SEIZURE_SCHEMA = 0x7105bd3f4d6334d0L;
    /** Marker and fingerprint of single-object encoding. */
    static final int HEADER_LENGTH = 10;

    private static final Severity[] SEVERITIES = Severity.values();
    private static final Confidence[] CONFIDENCES = Confidence.values();
    private static final ThreatType[] THREAT_TYPES = ThreatType.values();
    private static final DrugType[] DRUG_TYPES = DrugType.values();
    /** {@code DetectionMethod}'s symbols: read and checked, not kept. */
    private static final int DETECTION_METHODS = DetectionMethod.values().length;
    private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

    private final boolean seizure;
    private final String type;
    /** The parsing fingerprint of the schema read here, as it stands in the header. */
    private final long fingerprint;

    private ReportDecoder(final boolean seizure, final Schema schema, final long pinned) {
        final long text = SchemaNormalization.fingerprint64(schema.toString().getBytes(StandardCharsets.UTF_8));
        if (text != pinned) {
            throw new IllegalStateException("The hand-written decoder of " + schema.getFullName() + " was written for"
                    + " the schema with text fingerprint " + Long.toHexString(pinned) + ", but the schema is now "
                    + Long.toHexString(text) + ": bring ReportDecoder up to date with the schema, then pin the new"
                    + " fingerprint (ReportDecoderTest compares it with Avro's own reader).");
        }
        this.seizure = seizure;
        this.type = schema.getName();
        this.fingerprint = SchemaNormalization.parsingFingerprint64(schema);
    }

    static ReportDecoder incidents() {
        return new ReportDecoder(false, BorderIncident.getClassSchema(), INCIDENT_SCHEMA);
    }

    static ReportDecoder seizures() {
        return new ReportDecoder(true, DrugSeizure.getClassSchema(), SEIZURE_SCHEMA);
    }

    /** The record type's name, as Avro's serde names it in its errors. */
    String type() {
        return type;
    }

    /** Whether {@code data} (at least a header long) names the schema this decoder reads. */
    boolean reads(final byte[] data) {
        if (data.length < HEADER_LENGTH || data[0] != (byte) 0xC3 || data[1] != (byte) 0x01) {
            return false;
        }
        long found = 0;
        for (int i = 0; i < 8; i++) {
            found |= (data[2 + i] & 0xFFL) << (8 * i);
        }
        return found == fingerprint;
    }

    /**
     * The report in {@code data}, whose header {@link #reads} accepted.
     *
     * @throws IOException      when the body ends early
     * @throws RuntimeException when it is malformed (a negative or oversized length, a bad varint, an enum symbol or
     *                          union branch that does not exist, an eventId that is not a UUID), as Avro's reader
     */
    Report decode(final byte[] data) throws IOException {
        final State state = STATE.get();
        final BinaryDecoder in = DecoderFactory.get().binaryDecoder(data, HEADER_LENGTH, data.length - HEADER_LENGTH,
                state.decoder);
        state.decoder = in;
        final UUID eventId = UUID.fromString(in.readString(state.text).toString()); // logicalType uuid
        final String agencyId = in.readString(state.text).toString();
        final long occurredAt = in.readLong(); // logicalType timestamp-millis
        in.readLong(); // reportedAt
        final String region = in.readString(state.text).toString();
        optionalString(in, state); // borderSection
        if (branch(in) == 1) { // location: GeoPoint
            in.readDouble();
            in.readDouble();
        }
        final Severity severity = SEVERITIES[symbol(in, SEVERITIES.length)];
        final Confidence confidence = CONFIDENCES[symbol(in, CONFIDENCES.length)];
        if (!seizure) {
            final ThreatType threatType = THREAT_TYPES[symbol(in, THREAT_TYPES.length)];
            in.readInt(); // personsInvolved
            symbol(in, DETECTION_METHODS); // detectedBy
            optionalString(in, state); // description
            return new Report(eventId, agencyId, occurredAt, region, threatType, severity, confidence, null, 0.0,
                    data);
        }
        final DrugType drugType = DRUG_TYPES[symbol(in, DRUG_TYPES.length)];
        final double quantityKg = in.readDouble();
        optionalString(in, state); // departureCountry
        optionalString(in, state); // destinationCountry
        optionalString(in, state); // concealment
        in.readInt(); // arrests
        return new Report(eventId, agencyId, occurredAt, region, ThreatType.DRUG_TRAFFICKING, severity, confidence,
                drugType, quantityKg, data);
    }

    /** A {@code ["null", "string"]} union, read and not kept. */
    private static void optionalString(final BinaryDecoder in, final State state) throws IOException {
        if (branch(in) == 1) {
            in.readString(state.text);
        }
    }

    /** The branch of a two-branch union ({@code null} first). */
    private static int branch(final BinaryDecoder in) throws IOException {
        final int branch = in.readIndex();
        if (branch != 0 && branch != 1) {
            throw new IllegalArgumentException("union branch " + branch + " does not exist (0 or 1)");
        }
        return branch;
    }

    private static int symbol(final BinaryDecoder in, final int symbols) throws IOException {
        final int symbol = in.readEnum();
        if (symbol < 0 || symbol >= symbols) {
            throw new IllegalArgumentException("enum symbol " + symbol + " does not exist (0 to " + (symbols - 1)
                    + ")");
        }
        return symbol;
    }

    /** Per stream thread: the decoder Avro lets us reuse, and the buffer every string is read into. */
    private static final class State {
        private BinaryDecoder decoder;
        private final Utf8 text = new Utf8();
    }
}
