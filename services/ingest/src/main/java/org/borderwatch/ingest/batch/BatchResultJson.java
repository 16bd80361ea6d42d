package org.borderwatch.ingest.batch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
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

    private BatchResultJson() {
    }

    static byte[] write(final BatchResult result) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(64 + BYTES_PER_LINE * result.results().size());
        try (JsonGenerator json = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeNumberField("lines", result.lines());
            json.writeNumberField("accepted", result.accepted());
            json.writeNumberField("rejected", result.rejected());
            json.writeNumberField("failed", result.failed());
            json.writeArrayFieldStart("results");
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
        json.writeNumberField("line", line.line());
        optional(json, "status", line.status());
        optional(json, "eventId", line.eventId());
        optional(json, "topic", line.topic());
        if (line.partition() != null) {
            json.writeNumberField("partition", line.partition());
        }
        if (line.offset() != null) {
            json.writeNumberField("offset", line.offset());
        }
        if (line.errors() != null && !line.errors().isEmpty()) {
            json.writeArrayFieldStart("errors");
            for (final Violation error : line.errors()) {
                // Violation is JsonInclude.ALWAYS: a null member is written as null.
                json.writeStartObject();
                json.writeStringField("field", error.field());
                json.writeStringField("rule", error.rule());
                json.writeStringField("message", error.message());
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        json.writeEndObject();
    }

    private static void optional(final JsonGenerator json, final String name, final String value) throws IOException {
        if (value != null) {
            json.writeStringField(name, value);
        }
    }
}
