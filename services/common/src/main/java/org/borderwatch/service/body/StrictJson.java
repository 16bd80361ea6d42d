package org.borderwatch.service.body;

import java.io.IOException;
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
import com.fasterxml.jackson.core.StreamReadFeature;
import io.micronaut.json.tree.JsonNode;

/**
 * Parses exactly one JSON document into a tree, more strictly than a data binder: the bytes must be UTF-8 (checked
 * by {@link StrictUtf8}, not guessed: Jackson alone would read UTF-16 and accept overlong forms), content after the
 * document and duplicate member names are errors (either would let part of a request vanish silently), and numbers
 * keep every digit (BigDecimal), so range checks see what was sent. Jackson's stream limits (nesting depth, number
 * and string lengths) bound what a hostile body can cost.
 */
public final class StrictJson {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private StrictJson() {
    }

    /** The one JSON document in {@code bytes}. */
    public static JsonNode parse(final byte[] bytes) throws MalformedBodyException {
        final String decoded = StrictUtf8.decode(bytes);
        // RFC 8259 lets a parser ignore a byte order mark; Windows tools still write one.
        final String text = decoded.startsWith("\uFEFF") ? decoded.substring(1) : decoded;
        try (JsonParser parser = FACTORY.createParser(text)) {
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

    private static JsonNode read(final JsonParser parser) throws IOException {
        final JsonToken token = parser.currentToken();
        return switch (token) {
            case START_OBJECT -> {
                final Map<String, JsonNode> members = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    final String name = parser.currentName();
                    parser.nextToken();
                    members.put(name, read(parser));
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
