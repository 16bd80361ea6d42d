package org.borderwatch.ingest.batch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import org.borderwatch.schemas.Topics;
import org.borderwatch.service.problem.Violation;

/**
 * A {@link BatchResult} as JSON, written member by member: the text Micronaut's serializer writes for it (its
 * {@code @JsonInclude} rules and member order; {@code BatchResultJsonTest} compares the two over random results),
 * without the serializer's per-property lookups. The answer to a 1,000-line batch has 1,000 results; writing them
 * through the serializer was about a twentieth of the service's request-thread CPU under batch load (perf,
 * December 2026).
 */
final class BatchResultJson {

    private static final JsonFactory FACTORY = new JsonFactory();
    /** About what one accepted line takes, so the buffer rarely grows. */
    private static final int BYTES_PER_LINE = 160;
    /** The member names and the texts every answer repeats, quoted and encoded once rather than per line. */
    private static final SerializedString LINES = new SerializedString("lines");
    private static final SerializedString ACCEPTED = new SerializedString("accepted");
    private static final SerializedString REJECTED = new SerializedString("rejected");
    private static final SerializedString FAILED = new SerializedString("failed");
    private static final SerializedString RESULTS = new SerializedString("results");
    private static final SerializedString LINE = new SerializedString("line");
    private static final SerializedString STATUS = new SerializedString("status");
    private static final SerializedString EVENT_ID = new SerializedString("eventId");
    private static final SerializedString TOPIC = new SerializedString("topic");
    private static final SerializedString PARTITION = new SerializedString("partition");
    private static final SerializedString OFFSET = new SerializedString("offset");
    private static final SerializedString ERRORS = new SerializedString("errors");
    private static final SerializedString FIELD = new SerializedString("field");
    private static final SerializedString RULE = new SerializedString("rule");
    private static final SerializedString MESSAGE = new SerializedString("message");
    private static final Map<String, SerializedString> VALUES = Stream.of(LineResult.ACCEPTED, LineResult.REJECTED,
                    LineResult.FAILED, Topics.INCIDENTS.name(), Topics.SEIZURES.name())
            .collect(Collectors.toUnmodifiableMap(text -> text, SerializedString::new));

    private BatchResultJson() {
    }

    static byte[] write(final BatchResult result) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(64 + BYTES_PER_LINE * result.results().size());
        try (JsonGenerator json = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            number(json, LINES, result.lines());
            number(json, ACCEPTED, result.accepted());
            number(json, REJECTED, result.rejected());
            number(json, FAILED, result.failed());
            json.writeFieldName(RESULTS);
            json.writeStartArray();
            for (final LineResult line : result.results()) {
                write(json, line);
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write a batch answer to memory", e);
        }
        return out.toByteArray();
    }

    /** {@link LineResult}: members that are null are left out ({@code NON_NULL}), {@code errors} when empty too. */
    private static void write(final JsonGenerator json, final LineResult line) throws IOException {
        json.writeStartObject();
        number(json, LINE, line.line());
        text(json, STATUS, line.status(), true);
        text(json, EVENT_ID, line.eventId(), false);
        text(json, TOPIC, line.topic(), true);
        if (line.partition() != null) {
            number(json, PARTITION, line.partition());
        }
        if (line.offset() != null) {
            json.writeFieldName(OFFSET);
            json.writeNumber(line.offset());
        }
        if (line.errors() != null && !line.errors().isEmpty()) {
            json.writeFieldName(ERRORS);
            json.writeStartArray();
            for (final Violation error : line.errors()) {
                // Violation is JsonInclude.ALWAYS: a null member is written as null.
                json.writeStartObject();
                json.writeFieldName(FIELD);
                json.writeString(error.field());
                json.writeFieldName(RULE);
                json.writeString(error.rule());
                json.writeFieldName(MESSAGE);
                json.writeString(error.message());
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        json.writeEndObject();
    }

    private static void number(final JsonGenerator json, final SerializedString name, final int value)
            throws IOException {
        json.writeFieldName(name);
        json.writeNumber(value);
    }

    /**
     * A member that is left out when null; with {@code repeated} (a status, a topic name) the bytes encoded once.
     * An eventId is not looked up: hashing every one cost more than it saves.
     */
    private static void text(final JsonGenerator json, final SerializedString name, final String value,
                             final boolean repeated) throws IOException {
        if (value == null) {
            return;
        }
        json.writeFieldName(name);
        final SerializedString known = repeated ? VALUES.get(value) : null;
        if (known != null) {
            json.writeString(known);
        } else {
            json.writeString(value);
        }
    }
}
