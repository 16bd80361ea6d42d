package org.borderwatch.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import picocli.CommandLine;

/** Reads {@code 90s}, {@code 2m}, {@code 1h}, {@code 500ms} or ISO-8601 ({@code PT90S}) for a duration option. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(final String value) {
        final String text = value.strip().toLowerCase(Locale.ROOT);
        try {
            if (text.startsWith("p")) {
                return nonNegative(Duration.parse(text.toUpperCase(Locale.ROOT)), value);
            }
            if (text.endsWith("ms")) {
                return nonNegative(Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2))), value);
            }
            final long amount = Long.parseLong(text.substring(0, text.length() - 1));
            return switch (text.charAt(text.length() - 1)) {
                case 's' -> nonNegative(Duration.ofSeconds(amount), value);
                case 'm' -> nonNegative(Duration.ofMinutes(amount), value);
                case 'h' -> nonNegative(Duration.ofHours(amount), value);
                default -> throw invalid(value);
            };
        } catch (final NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw invalid(value);
        }
    }

    private static Duration nonNegative(final Duration duration, final String value) {
        if (duration.isNegative()) {
            throw invalid(value);
        }
        return duration;
    }

    private static CommandLine.TypeConversionException invalid(final String value) {
        return new CommandLine.TypeConversionException("'" + value + "' is not a duration such as 60s, 2m or PT90S");
    }
}
