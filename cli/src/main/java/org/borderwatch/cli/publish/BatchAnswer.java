package org.borderwatch.cli.publish;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The ingest API's answer to a batch, read in one streaming pass: the totals, and for each result its line, status
 * and, for a rejected line, its errors. The answer of a 1,000-line batch is ~150 KB; reading it into a tree, three
 * times per chunk, was half of the CPU {@code publish} spent (JFR of {@code bench ingest}), on the same cores as
 * the service. Members it does not need (topic, partition, offset, eventId) are skipped, not materialised.
 *
 * @param json whether the body was a JSON object at all
 */
record BatchAnswer(boolean json, long accepted, long failed, List<Result> results) {

    /** One line's result; {@code errors} only for a rejected line. */
    record Result(int line, String status, List<Error> errors) {
    }

    record Error(String field, String rule, String message) {
    }

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final BatchAnswer NOT_JSON = new BatchAnswer(false, 0, 0, List.of());

    /** The totals only: whether an answer means "Kafka unavailable" is decided before reading every result. */
    static BatchAnswer totals(final String body) {
        return read(body, false);
    }

    static BatchAnswer parse(final String body) {
        return read(body, true);
    }

    private static BatchAnswer read(final String body, final boolean withResults) {
        if (body == null || body.isBlank()) {
            return NOT_JSON;
        }
        try (JsonParser parser = FACTORY.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return NOT_JSON;
            }
            long accepted = 0;
            long failed = 0;
            boolean seenAccepted = false;
            boolean seenFailed = false;
            final List<Result> results = new ArrayList<>();
            // The API writes the totals before the results: the totals alone never read the results.
            while ((withResults || !seenAccepted || !seenFailed) && parser.nextToken() == JsonToken.FIELD_NAME) {
                final String name = parser.currentName();
                final JsonToken value = parser.nextToken();
                if ("accepted".equals(name) && value.isNumeric()) {
                    accepted = parser.getLongValue();
                    seenAccepted = true;
                } else if ("failed".equals(name) && value.isNumeric()) {
                    failed = parser.getLongValue();
                    seenFailed = true;
                } else if ("results".equals(name) && value == JsonToken.START_ARRAY && withResults) {
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        results.add(result(parser));
                    }
                } else {
                    parser.skipChildren();
                }
            }
            return new BatchAnswer(true, accepted, failed, results);
        } catch (final IOException | RuntimeException e) {
            return NOT_JSON;
        }
    }

    private static Result result(final JsonParser parser) throws IOException {
        int line = 0;
        String status = "";
        List<Error> errors = List.of();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            final String name = parser.currentName();
            final JsonToken value = parser.nextToken();
            if ("line".equals(name) && value == JsonToken.VALUE_NUMBER_INT) {
                line = parser.getIntValue();
            } else if ("status".equals(name) && value == JsonToken.VALUE_STRING) {
                status = parser.getText();
            } else if ("errors".equals(name) && value == JsonToken.START_ARRAY) {
                errors = new ArrayList<>();
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    errors.add(error(parser));
                }
            } else {
                parser.skipChildren();
            }
        }
        return new Result(line, status, errors);
    }

    private static Error error(final JsonParser parser) throws IOException {
        String field = "";
        String rule = "invalid";
        String message = "";
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            final String name = parser.currentName();
            final JsonToken value = parser.nextToken();
            if (value.isScalarValue() && value != JsonToken.VALUE_NULL) {
                switch (name) {
                    case "field" -> field = parser.getText();
                    case "rule" -> rule = parser.getText();
                    case "message" -> message = parser.getText();
                    default -> {
                        // Other members of an error say nothing the summary shows.
                    }
                }
            } else {
                parser.skipChildren();
            }
        }
        return new Error(field, rule, message);
    }
}
