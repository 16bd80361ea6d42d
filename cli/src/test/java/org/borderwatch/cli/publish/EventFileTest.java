package org.borderwatch.cli.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class EventFileTest {

    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void shouldTurnCsvRowsIntoApiEventsWithTypedNumbersAndALocation() throws IOException {
        final Path csv = dir.resolve("seizures.csv");
        Files.writeString(csv, "eventId,region,quantityKg,arrests,latitude,longitude,concealment,destinationCountry\n"
                + "e1,UZ-SU,12.5,2,37.22,67.28,\"truck, \"\"fuel\"\" tank\",\n"
                + "\n"
                + "e2,UZ-QA,abc,1,,,,RU\n");

        final List<EventFile.Line> lines = EventFile.read(csv, "seizure");

        assertThat(lines).extracting(EventFile.Line::number).containsExactly(2L, 4L);
        final JsonNode first = json.readTree(lines.get(0).json());
        assertThat(first.get("type").asText()).isEqualTo("seizure");
        assertThat(first.get("quantityKg").isDouble()).isTrue();
        assertThat(first.get("arrests").asLong()).isEqualTo(2);
        assertThat(first.get("location").get("latitude").asDouble()).isEqualTo(37.22);
        assertThat(first.get("concealment").asText()).isEqualTo("truck, \"fuel\" tank");
        assertThat(first.has("destinationCountry")).as("empty cells are left out").isFalse();
        final JsonNode second = json.readTree(lines.get(1).json());
        assertThat(second.get("quantityKg").asText()).as("left as text for the API to reject").isEqualTo("abc");
        assertThat(second.has("location")).isFalse();
    }

    @Test
    void shouldKeepLineNumbersAndSendUnparsableLinesAsTheyAre() throws IOException {
        final Path ndjson = dir.resolve("events.ndjson");
        Files.writeString(ndjson, "{\"type\":\"incident\",\"region\":\"TJ-KT\"}\n\nnot json\n{\"region\":\"TJ-GB\"}\n");

        final List<EventFile.Line> lines = EventFile.read(ndjson, "incident");

        assertThat(lines).extracting(EventFile.Line::number).containsExactly(1L, 3L, 4L);
        assertThat(lines.get(1).json()).isEqualTo("not json");
        assertThat(json.readTree(lines.get(2).json()).get("type").asText()).isEqualTo("incident");
    }

    @Test
    void shouldShiftAllTimesSoTheLatestEventIsNow() throws IOException {
        final List<EventFile.Line> lines = List.of(
                new EventFile.Line(1, "{\"occurredAt\":\"2026-01-01T10:00:00Z\",\"reportedAt\":\"2026-01-01T10:30:00Z\"}"),
                new EventFile.Line(2, "{\"occurredAt\":\"2026-01-01T12:00:00Z\"}"),
                new EventFile.Line(3, "garbage"));

        final List<EventFile.Line> shifted = EventFile.shiftToNow(lines, Instant.parse("2026-11-28T12:00:00Z"));

        assertThat(json.readTree(shifted.get(0).json()).get("occurredAt").asText()).isEqualTo("2026-11-28T10:00:00Z");
        assertThat(json.readTree(shifted.get(0).json()).get("reportedAt").asText()).isEqualTo("2026-11-28T10:30:00Z");
        assertThat(json.readTree(shifted.get(1).json()).get("occurredAt").asText()).isEqualTo("2026-11-28T12:00:00Z");
        assertThat(shifted.get(2).json()).isEqualTo("garbage");
    }
}
