package org.borderwatch.service.body;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.micronaut.json.tree.JsonNode;

/**
 * Parses exactly one JSON document into a tree, more strictly than a data binder: the bytes must be UTF-8 (checked
 * by {@link StrictUtf8}, not guessed: Jackson alone would read UTF-16 and accept overlong forms), content after the
 * document and duplicate member names are errors (either would let part of a request vanish silently), and numbers
 * keep every digit (BigDecimal), so range checks see what was sent. Jackson's stream limits (nesting depth, number
 * and string lengths) bound what a hostile body can cost.
 */
public final class StrictJson {

    /**
     * Duplicate member names are found while building the tree ({@link #read}), not by Jackson's
     * {@code STRICT_DUPLICATE_DETECTION}, which keeps a set of its own per object: a tenth of the ingest service's
     * allocation in a batch-ingest profile.
     */
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final int MEMBERS = 32;

    private StrictJson() {
    }

    /** The one JSON document in {@code bytes}. */
    public static JsonNode parse(final byte[] bytes) throws MalformedBodyException {
        return parse(bytes, 0, bytes.length);
    }

    /** The one JSON document in {@code bytes[from, to)} (a line of a batch, without copying it). */
    public static JsonNode parse(final byte[] bytes, final int from, final int to) throws MalformedBodyException {
        final StrictUtf8.Malformation malformation = StrictUtf8.check(bytes, from, to);
        if (malformation != null) {
            throw new MalformedBodyException(BodyRules.UTF_8, malformation.describe());
        }
        try (JsonParser parser = parser(bytes, from, to)) {
            if (parser.nextToken() == null) {
                throw new MalformedBodyException(BodyRules.EMPTY_BODY, "The body is empty; send one JSON object");
            }
            final JsonNode node = read(parser);
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "unexpected content after the JSON document");
            }
            return node;
        } catch (final JsonProcessingException e) {
            throw new MalformedBodyException(BodyRules.MALFORMED_JSON, "The body is not valid JSON: "
                    + JsonFields.echo(String.valueOf(e.getOriginalMessage()), 300) + where(e.getLocation()));
        } catch (final IOException e) {
            throw new MalformedBodyException(BodyRules.MALFORMED_JSON, "The body cannot be read as JSON: "
                    + e.getClass().getSimpleName());
        }
    }

    /**
     * A parser of well-formed UTF-8. Jackson reads bytes without decoding them first (a third of the cost of a
     * batch line's parse was the decode), skipping a UTF-8 byte order mark as RFC 8259 allows; but it guesses
     * UTF-16 or UTF-32 from zero bytes among the first four, and zero bytes are well-formed UTF-8 ({@code 7B 00 7D
     * 00} is {@code {}} in UTF-16LE). Such text is read from its decoded characters instead, so it is judged as
     * UTF-8 JSON, which a raw zero byte never is.
     */
    private static JsonParser parser(final byte[] bytes, final int from, final int to) throws IOException {
        for (int i = from; i < Math.min(to, from + 4); i++) {
            if (bytes[i] == 0) {
                return FACTORY.createParser(new String(bytes, from, to - from, StandardCharsets.UTF_8));
            }
        }
        return FACTORY.createParser(bytes, from, to - from);
    }

    private static JsonNode read(final JsonParser parser) throws IOException {
        final JsonToken token = parser.currentToken();
        return switch (token) {
            case START_OBJECT -> {
                // Room for a report's ~15 members without a rehash (the default 16 slots grow at the 13th).
                final Map<String, JsonNode> members = new LinkedHashMap<>(MEMBERS);
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    final String name = parser.currentName();
                    parser.nextToken();
                    if (members.put(name, read(parser)) != null) {
                        throw new JsonParseException(parser, "Duplicate field '" + name + "'");
                    }
                }
                yield JsonNode.createObjectNode(members);
            }
            case START_ARRAY -> {
                final List<JsonNode> elements = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    elements.add(read(parser));
                }
                yield JsonNode.createArrayNode(elements);
            }
            case VALUE_STRING -> JsonNode.createStringNode(parser.getText());
            case VALUE_NUMBER_INT -> JsonNode.createNumberNodeImpl(parser.getNumberValue());
            case VALUE_NUMBER_FLOAT -> JsonNode.createNumberNode(parser.getDecimalValue());
            case VALUE_TRUE -> JsonNode.createBooleanNode(true);
            case VALUE_FALSE -> JsonNode.createBooleanNode(false);
            case VALUE_NULL -> JsonNode.nullNode();
            default -> throw new JsonParseException(parser, "unexpected token " + token);
        };
    }

    private static String where(final JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
