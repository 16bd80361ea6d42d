package org.borderwatch.cli.publish;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads events to publish from NDJSON (one JSON object a line, with {@code "type": "incident"|"seizure"}) or from
 * CSV (a header row of API field names; {@code latitude}/{@code longitude} columns become {@code location}; empty
 * cells are left out; a {@code type} column or the default type says what each row is). Every line keeps its
 * number in the file, so the API's per-line answers point back to it. Lines that are not JSON objects are sent
 * as they are: the API is the one judge of validity and reports them.
 */
public final class EventFile {

    /** One line to send: its number in the file and its NDJSON text. */
    public record Line(long number, String json) {
    }

    private static final Set<String> INTEGER_FIELDS = Set.of("personsInvolved", "arrests");
    private static final Set<String> DECIMAL_FIELDS = Set.of("quantityKg", "latitude", "longitude");

    private EventFile() {
    }

    public static List<Line> read(final Path file, final String defaultType) throws IOException {
        final String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".csv") ? readCsv(file, defaultType) : readNdjson(file, defaultType);
    }

    /**
     * Moves every {@code occurredAt} (and {@code reportedAt}) by the same amount so that the latest event happened at
     * {@code now}: a recorded scenario replays as if it were happening, with its spacing intact. Lines without a
     * parsable time are left alone.
     */
    public static List<Line> shiftToNow(final List<Line> lines, final Instant now) throws IOException {
        final ObjectMapper json = new ObjectMapper();
        Instant latest = null;
        for (final Line line : lines) {
            final Instant at = occurredAt(json, line.json());
            if (at != null && (latest == null || at.isAfter(latest))) {
                latest = at;
            }
        }
        if (latest == null) {
            return lines;
        }
        final Duration shift = Duration.between(latest, now);
        final List<Line> shifted = new ArrayList<>(lines.size());
        for (final Line line : lines) {
            final Instant at = occurredAt(json, line.json());
            if (at == null) {
                shifted.add(line);
                continue;
            }
            final ObjectNode node = (ObjectNode) json.readTree(line.json());
            node.put("occurredAt", at.plus(shift).toString());
            final Instant reported = parseInstant(node.path("reportedAt").asText(null));
            if (reported != null) {
                node.put("reportedAt", reported.plus(shift).toString());
            }
            shifted.add(new Line(line.number(), json.writeValueAsString(node)));
        }
        return shifted;
    }

    private static Instant occurredAt(final ObjectMapper json, final String text) {
        try {
            final JsonNode node = json.readTree(text);
            return node instanceof ObjectNode ? parseInstant(node.path("occurredAt").asText(null)) : null;
        } catch (final JsonProcessingException e) {
            return null;
        }
    }

    private static Instant parseInstant(final String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (final DateTimeParseException e) {
            return null;
        }
    }

    static List<Line> readNdjson(final Path file, final String defaultType) throws IOException {
        final ObjectMapper json = new ObjectMapper();
        final List<Line> lines = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long number = 0;
            for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                number++;
                if (text.isBlank()) {
                    continue;
                }
                lines.add(new Line(number, withType(json, text, defaultType)));
            }
        }
        return lines;
    }

    private static String withType(final ObjectMapper json, final String text, final String defaultType) {
        if (defaultType == null) {
            return text;
        }
        try {
            final var node = json.readTree(text);
            if (node instanceof ObjectNode object && !object.has("type")) {
                object.put("type", defaultType);
                return json.writeValueAsString(object);
            }
        } catch (final JsonProcessingException e) {
            // Sent as it is: the API reports the line as malformed JSON.
        }
        return text;
    }

    static List<Line> readCsv(final Path file, final String defaultType) throws IOException {
        final ObjectMapper json = new ObjectMapper();
        final List<Line> lines = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            final String headerLine = reader.readLine();
            if (headerLine == null) {
                return lines;
            }
            final List<String> header = splitCsv(headerLine.replace("\uFEFF", ""));
            long number = 1;
            for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                number++;
                if (text.isBlank()) {
                    continue;
                }
                final List<String> cells = splitCsv(text);
                final Map<String, Object> event = new LinkedHashMap<>();
                if (defaultType != null) {
                    event.put("type", defaultType);
                }
                final Map<String, Object> location = new LinkedHashMap<>();
                for (int i = 0; i < header.size() && i < cells.size(); i++) {
                    final String field = header.get(i).trim();
                    final String cell = cells.get(i).trim();
                    if (cell.isEmpty()) {
                        continue;
                    }
                    final Object value = typed(field, cell);
                    if ("latitude".equals(field) || "longitude".equals(field)) {
                        location.put(field, value);
                    } else {
                        event.put(field, value);
                    }
                }
                if (!location.isEmpty()) {
                    event.put("location", location);
                }
                lines.add(new Line(number, json.writeValueAsString(event)));
            }
        }
        return lines;
    }

    private static Object typed(final String field, final String cell) {
        try {
            if (INTEGER_FIELDS.contains(field)) {
                return Long.parseLong(cell);
            }
            if (DECIMAL_FIELDS.contains(field)) {
                return Double.parseDouble(cell);
            }
        } catch (final NumberFormatException e) {
            // Left as text: the API names the field and the rule it breaks.
        }
        return cell;
    }

    /** RFC 4180 fields: commas separate, double quotes enclose, doubled quotes escape. */
    static List<String> splitCsv(final String line) {
        final List<String> cells = new ArrayList<>();
        final StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            final char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
