package org.borderwatch.ingest.event;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.micronaut.json.tree.JsonNode;
import org.borderwatch.service.problem.Violation;

/**
 * Reads typed values out of one JSON object and records a {@link Violation} for every broken rule instead of
 * stopping at the first. Missing and {@code null} are the same; a method returns {@code null} when the value is
 * missing or broken.
 */
final class JsonFields {

    /** More errors than this say nothing new (the body is junk); the list stops here. */
    static final int MAX_VIOLATIONS = 100;

    private static final int MAX_ECHO = 60;

    private final JsonNode object;
    private final String prefix;
    private final List<Violation> violations;

    JsonFields(final JsonNode object, final String prefix, final List<Violation> violations) {
        this.object = object;
        this.prefix = prefix;
        this.violations = violations;
    }

    /** Records an {@code unknown-field} for every member whose name is not in {@code known}. */
    void refuseUnknown(final Set<String> known, final String what) {
        final String knownList = known.stream().sorted().collect(Collectors.joining(", "));
        for (final Map.Entry<String, JsonNode> member : object.entries()) {
            if (!known.contains(member.getKey())) {
                violation(Rules.UNKNOWN_FIELD, member.getKey(), "'" + echo(member.getKey()) + "' is not a field of "
                        + what + "; known fields: " + knownList);
            }
        }
    }

    JsonNode present(final String name) {
        final JsonNode node = object.get(name);
        return node == null || node.isNull() ? null : node;
    }

    String text(final String name, final boolean required, final int maxLength) {
        final JsonNode node = present(name);
        if (node == null) {
            if (required) {
                violation(Rules.REQUIRED, name, name + " is required");
            }
            return null;
        }
        if (!node.isString()) {
            violation(Rules.TYPE, name, name + " must be a string");
            return null;
        }
        final String value = node.getStringValue();
        if (required && value.isBlank()) {
            violation(Rules.REQUIRED, name, name + " must not be blank");
            return null;
        }
        if (hasUnpairedSurrogate(value)) {
            violation(Rules.UNICODE, name, name + " contains an unpaired UTF-16 surrogate (invalid Unicode)");
            return null;
        }
        final int length = value.codePointCount(0, value.length());
        if (length > maxLength) {
            violation(Rules.MAX_LENGTH, name, name + " has " + length + " characters; at most " + maxLength
                    + " are allowed");
            return null;
        }
        return value;
    }

    <E extends Enum<E>> E enumValue(final String name, final Class<E> type) {
        final JsonNode node = present(name);
        if (node == null) {
            violation(Rules.REQUIRED, name, name + " is required");
            return null;
        }
        final String symbols = Arrays.stream(type.getEnumConstants()).map(Enum::name)
                .collect(Collectors.joining(", "));
        if (node.isString()) {
            for (final E constant : type.getEnumConstants()) {
                if (constant.name().equals(node.getStringValue())) {
                    return constant;
                }
            }
            violation(Rules.ENUM, name, name + " '" + echo(node.getStringValue()) + "' is not one of " + symbols);
        } else {
            violation(Rules.TYPE, name, name + " must be a string, one of " + symbols);
        }
        return null;
    }

    /** A number, exactly as written (so range checks never suffer from rounding or overflow). */
    BigDecimal number(final String name, final boolean required) {
        final JsonNode node = present(name);
        if (node == null) {
            if (required) {
                violation(Rules.REQUIRED, name, name + " is required");
            }
            return null;
        }
        if (!node.isNumber()) {
            violation(Rules.TYPE, name, name + " must be a number");
            return null;
        }
        final Number number = node.getNumberValue();
        if (number instanceof BigDecimal decimal) {
            return decimal;
        }
        if ((number instanceof Double || number instanceof Float) && !Double.isFinite(number.doubleValue())) {
            violation(Rules.RANGE, name, name + " is too large to be a number");
            return null;
        }
        return number instanceof Double || number instanceof Float
                ? BigDecimal.valueOf(number.doubleValue()) : new BigDecimal(number.toString());
    }

    /** A whole number in [min, max]; {@code fallback} when missing. */
    Integer wholeNumber(final String name, final int min, final int max, final int fallback) {
        final JsonNode node = present(name);
        if (node == null) {
            return fallback;
        }
        final BigDecimal number = number(name, false);
        if (number == null) {
            return null;
        }
        if (number.stripTrailingZeros().scale() > 0) {
            violation(Rules.TYPE, name, name + " must be a whole number");
            return null;
        }
        if (!inRange(name, number, BigDecimal.valueOf(min), BigDecimal.valueOf(max))) {
            return null;
        }
        return number.intValueExact();
    }

    /** Checks {@code min <= value <= max}, recording a {@code range} violation otherwise. */
    boolean inRange(final String name, final BigDecimal value, final BigDecimal min, final BigDecimal max) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            violation(Rules.RANGE, name, name + " must lie between " + min.toPlainString() + " and "
                    + max.toPlainString() + "; got " + echo(value.toString()));
            return false;
        }
        return true;
    }

    Instant instant(final String name, final boolean required) {
        final JsonNode node = present(name);
        if (node == null) {
            if (required) {
                violation(Rules.REQUIRED, name, name + " is required");
            }
            return null;
        }
        if (!node.isString()) {
            violation(Rules.TYPE, name, name + " must be a string holding an ISO-8601 instant");
            return null;
        }
        try {
            return Instant.parse(node.getStringValue());
        } catch (final DateTimeParseException e) {
            violation(Rules.INSTANT, name, name + " '" + echo(node.getStringValue())
                    + "' is not an ISO-8601 instant such as 2025-03-01T04:30:00Z");
            return null;
        }
    }

    void violation(final String rule, final String name, final String message) {
        if (violations.size() < MAX_VIOLATIONS) {
            violations.add(new Violation(prefix + echo(name), rule, message));
        }
    }

    /**
     * Quotes client input back to the client: cut short, so a hostile body does not get a huge answer, and with
     * unpaired surrogates replaced, because no JSON writer can encode them.
     */
    static String echo(final String value) {
        return echo(value, MAX_ECHO);
    }

    static String echo(final String value, final int limit) {
        final StringBuilder quoted = new StringBuilder();
        value.codePoints().limit(limit).forEach(codePoint -> quoted.appendCodePoint(
                Character.getType(codePoint) == Character.SURROGATE ? '\uFFFD' : codePoint));
        return value.codePoints().limit(limit + 1L).count() > limit ? quoted + "..." : quoted.toString();
    }

    private static boolean hasUnpairedSurrogate(final String value) {
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
