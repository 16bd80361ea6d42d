package org.borderwatch.service.body;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

import io.micronaut.json.tree.JsonNode;
import org.borderwatch.service.problem.ProblemException;
import org.borderwatch.service.problem.Violation;

/**
 * Reads typed values out of one JSON object and records a {@link Violation} for every broken rule instead of
 * stopping at the first, so a client learns everything wrong with a request at once. Missing and {@code null} are
 * the same; a method returns {@code null} (or its fallback) when the value is missing or broken. Field names in
 * violations are paths: {@code location.latitude} for a nested field, {@code threatTypes[2]} for a list item.
 */
public final class JsonFields {

    /** More errors than this say nothing new (the body is junk); the list stops here. */
    public static final int MAX_VIOLATIONS = 100;

    /**
     * Instants are written with four-digit years: ISO 8601 without an agreed expansion, and what every store and
     * renderer downstream can hold ({@code +999999999-12-31T23:59:59Z} would overflow epoch milliseconds).
     */
    private static final Instant MIN_INSTANT = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private static final int MAX_ECHO = 60;

    private final JsonNode object;
    private final String prefix;
    private final List<Violation> violations;

    /**
     * @param object     the JSON object to read
     * @param prefix     put before every field name in violations ({@code "location."} for a nested object)
     * @param violations where broken rules are recorded; shared by the readers of one document
     */
    public JsonFields(final JsonNode object, final String prefix, final List<Violation> violations) {
        this.object = object;
        this.prefix = prefix;
        this.violations = violations;
    }

    /** Every rule broken so far in this document. */
    public List<Violation> violations() {
        return violations;
    }

    /** Answers 422 with every broken rule, if any was broken. */
    public void throwIfInvalid() {
        if (!violations.isEmpty()) {
            throw ProblemException.invalid(violations);
        }
    }

    /** Records an {@code unknown-field} for every member whose name is not in {@code known}. */
    public void refuseUnknown(final Set<String> known, final String what) {
        for (final Map.Entry<String, JsonNode> member : object.entries()) {
            if (!known.contains(member.getKey())) {
                // Built only for a violation: this runs for every line of every batch (bench JFR of batch ingest).
                final String knownList = known.stream().sorted().collect(Collectors.joining(", "));
                violation(BodyRules.UNKNOWN_FIELD, member.getKey(), "'" + echo(member.getKey())
                        + "' is not a field of " + what + "; known fields: " + knownList);
            }
        }
    }

    /** The member's value, or null when it is missing or {@code null}. */
    public JsonNode present(final String name) {
        final JsonNode node = object.get(name);
        return node == null || node.isNull() ? null : node;
    }

    /** Whether the member is there with a value other than {@code null}. */
    public boolean has(final String name) {
        return present(name) != null;
    }

    /** Records a {@code required} violation unless the member has a value. */
    public boolean require(final String name, final String message) {
        if (has(name)) {
            return true;
        }
        violation(BodyRules.REQUIRED, name, message);
        return false;
    }

    public String text(final String name, final boolean required, final int maxLength) {
        final JsonNode node = present(name);
        if (node == null) {
            if (required) {
                violation(BodyRules.REQUIRED, name, name + " is required");
            }
            return null;
        }
        return text(node, name, required, maxLength);
    }

    private String text(final JsonNode node, final String field, final boolean required, final int maxLength) {
        if (!node.isString()) {
            violation(BodyRules.TYPE, field, field + " must be a string");
            return null;
        }
        final String value = node.getStringValue();
        if (required && value.isBlank()) {
            violation(BodyRules.REQUIRED, field, field + " must not be blank");
            return null;
        }
        if (hasUnpairedSurrogate(value)) {
            violation(BodyRules.UNICODE, field, field + " contains an unpaired UTF-16 surrogate (invalid Unicode)");
            return null;
        }
        final int length = value.codePointCount(0, value.length());
        if (length > maxLength) {
            violation(BodyRules.MAX_LENGTH, field, field + " has " + length + " characters; at most " + maxLength
                    + " are allowed");
            return null;
        }
        return value;
    }

    /** A required enum value, spelt exactly as the constant. */
    public <E extends Enum<E>> E enumValue(final String name, final Class<E> type) {
        final JsonNode node = present(name);
        if (node == null) {
            violation(BodyRules.REQUIRED, name, name + " is required");
            return null;
        }
        return enumValue(node, name, type, false);
    }

    /**
     * An enum value in any case and with surrounding blanks ({@code "webhook"} for {@code WEBHOOK}), or
     * {@code fallback} when missing.
     */
    public <E extends Enum<E>> E enumIgnoringCase(final String name, final Class<E> type, final E fallback) {
        final JsonNode node = present(name);
        return node == null ? fallback : enumValue(node, name, type, true);
    }

    private <E extends Enum<E>> E enumValue(final JsonNode node, final String field, final Class<E> type,
                                            final boolean ignoreCase) {
        if (!node.isString()) {
            violation(BodyRules.TYPE, field, field + " must be a string, one of " + symbols(type, ignoreCase));
            return null;
        }
        final String value = ignoreCase ? node.getStringValue().strip() : node.getStringValue();
        final E constant = ignoreCase ? byNameIgnoringCase(type, value) : byName(type, value);
        if (constant == null) {
            violation(BodyRules.ENUM, field, field + " '" + echo(node.getStringValue()) + "' is not one of "
                    + symbols(type, ignoreCase));
        }
        return constant;
    }

    /** The enum's own name map (getEnumConstants() copies the constants on every call; this runs per event). */
    private static <E extends Enum<E>> E byName(final Class<E> type, final String name) {
        try {
            return Enum.valueOf(type, name);
        } catch (final IllegalArgumentException e) {
            return null;
        }
    }

    private static <E extends Enum<E>> E byNameIgnoringCase(final Class<E> type, final String name) {
        for (final E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(name)) {
                return constant;
            }
        }
        return null;
    }

    /** The accepted values for a message, built only when one is needed: an enum field is read for every event. */
    private static <E extends Enum<E>> String symbols(final Class<E> type, final boolean ignoreCase) {
        return Arrays.stream(type.getEnumConstants())
                .map(constant -> ignoreCase ? constant.name().toLowerCase(Locale.ROOT) : constant.name())
                .collect(Collectors.joining(", "));
    }

    /** A list of texts (empty when missing); every item must be a non-blank string of at most maxLength. */
    public List<String> textList(final String name, final int maxItems, final int maxLength) {
        return list(name, maxItems, (item, field) -> text(item, field, true, maxLength));
    }

    /** A list of enum values in any case (empty when missing). */
    public <E extends Enum<E>> List<E> enumList(final String name, final Class<E> type, final int maxItems) {
        return list(name, maxItems, (item, field) -> enumValue(item, field, type, true));
    }

    private <T> List<T> list(final String name, final int maxItems, final BiFunction<JsonNode, String, T> item) {
        final JsonNode node = present(name);
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            violation(BodyRules.TYPE, name, name + " must be a list (JSON array)");
            return List.of();
        }
        if (node.size() > maxItems) {
            violation(BodyRules.RANGE, name, name + " has " + node.size() + " items; at most " + maxItems
                    + " are allowed");
            return List.of();
        }
        final List<T> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            final JsonNode element = node.get(i);
            final String field = name + "[" + i + "]";
            if (element == null || element.isNull()) {
                violation(BodyRules.REQUIRED, field, field + " is null; leave it out instead");
                continue;
            }
            final T value = item.apply(element, field);
            if (value != null) {
                values.add(value);
            }
        }
        return values;
    }

    /** {@code true} or {@code false}; {@code fallback} when missing. */
    public Boolean bool(final String name, final boolean fallback) {
        final JsonNode node = present(name);
        if (node == null) {
            return fallback;
        }
        if (!node.isBoolean()) {
            violation(BodyRules.TYPE, name, name + " must be true or false");
            return null;
        }
        return node.getBooleanValue();
    }

    /** A number, exactly as written (so range checks never suffer from rounding or overflow). */
    public BigDecimal number(final String name, final boolean required) {
        final JsonNode node = present(name);
        if (node == null) {
            if (required) {
                violation(BodyRules.REQUIRED, name, name + " is required");
            }
            return null;
        }
        if (!node.isNumber()) {
            violation(BodyRules.TYPE, name, name + " must be a number");
            return null;
        }
        final Number number = node.getNumberValue();
        if (number instanceof BigDecimal decimal) {
            return decimal;
        }
        if ((number instanceof Double || number instanceof Float) && !Double.isFinite(number.doubleValue())) {
            violation(BodyRules.RANGE, name, name + " is too large to be a number");
            return null;
        }
        return number instanceof Double || number instanceof Float
                ? BigDecimal.valueOf(number.doubleValue()) : new BigDecimal(number.toString());
    }

    /** A whole number in [min, max]; {@code fallback} when missing. */
    public Integer wholeNumber(final String name, final int min, final int max, final int fallback) {
        final JsonNode node = present(name);
        if (node == null) {
            return fallback;
        }
        final BigDecimal number = number(name, false);
        if (number == null) {
            return null;
        }
        if (number.stripTrailingZeros().scale() > 0) {
            violation(BodyRules.TYPE, name, name + " must be a whole number");
            return null;
        }
        if (!inRange(name, number, BigDecimal.valueOf(min), BigDecimal.valueOf(max))) {
            return null;
        }
        return number.intValueExact();
    }

    /** Checks {@code min <= value <= max}, recording a {@code range} violation otherwise. */
    public boolean inRange(final String name, final BigDecimal value, final BigDecimal min, final BigDecimal max) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            violation(BodyRules.RANGE, name, name + " must lie between " + min.toPlainString() + " and "
                    + max.toPlainString() + "; got " + echo(value.toString()));
            return false;
        }
        return true;
    }

    /** An ISO-8601 instant with a four-digit year. */
    public Instant instant(final String name, final boolean required) {
        final JsonNode node = present(name);
        if (node == null) {
            if (required) {
                violation(BodyRules.REQUIRED, name, name + " is required");
            }
            return null;
        }
        if (!node.isString()) {
            violation(BodyRules.TYPE, name, name + " must be a string holding an ISO-8601 instant");
            return null;
        }
        final Instant instant;
        try {
            instant = IsoInstant.parse(node.getStringValue());
        } catch (final DateTimeParseException e) {
            violation(BodyRules.INSTANT, name, name + " '" + echo(node.getStringValue())
                    + "' is not an ISO-8601 instant such as 2025-03-01T04:30:00Z");
            return null;
        }
        if (instant.isBefore(MIN_INSTANT) || instant.isAfter(MAX_INSTANT)) {
            violation(BodyRules.INSTANT, name, name + " '" + echo(node.getStringValue())
                    + "' lies outside the years 0000 to 9999; write a four-digit year, such as 2025-03-01T04:30:00Z");
            return null;
        }
        return instant;
    }

    public void violation(final String rule, final String name, final String message) {
        if (violations.size() < MAX_VIOLATIONS) {
            violations.add(new Violation(prefix + echo(name), rule, message));
        }
    }

    /**
     * Quotes client input back to the client: cut short, so a hostile body does not get a huge answer, and with
     * unpaired surrogates replaced, because no JSON writer can encode them.
     */
    public static String echo(final String value) {
        return echo(value, MAX_ECHO);
    }

    public static String echo(final String value, final int limit) {
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
