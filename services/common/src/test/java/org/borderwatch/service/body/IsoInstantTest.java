package org.borderwatch.service.body;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The fast path accepts exactly what {@link Instant#parse} accepts, with the same value, or leaves it to it. */
class IsoInstantTest {

    private static final String CHARACTERS = "0123456789-:.TZtz+ ";

    @Test
    void shouldEqualInstantParseWhenTheTextIsAnyInstantOfYearsZeroTo9999() {
        final Random random = new Random(20261206);
        final long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        final long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 50_000; i++) {
            final Instant instant = Instant.ofEpochSecond(min + (long) (random.nextDouble() * (max - min)),
                    random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
            final String text = withDigits(instant.toString(), random.nextInt(10));
            assertThat(IsoInstant.fast(text)).as(text).isNotNull().isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void shouldAgreeWithInstantParseWhenTheTextIsBroken() {
        final Random random = new Random(42);
        final List<String> seeds = List.of("2024-02-29T23:59:59Z", "2023-02-28T00:00:00.5Z", "1900-02-28T12:00:00Z",
                "2000-02-29T00:00:00.123456789Z", "2025-04-30T04:30:00Z", "0000-01-01T00:00:00Z",
                "9999-12-31T23:59:59.999999999Z");
        for (int i = 0; i < 50_000; i++) {
            final StringBuilder text = new StringBuilder(seeds.get(random.nextInt(seeds.size())));
            for (int k = 1 + random.nextInt(2); k > 0; k--) {
                final int at = random.nextInt(text.length());
                switch (random.nextInt(3)) {
                    case 0 -> text.setCharAt(at, CHARACTERS.charAt(random.nextInt(CHARACTERS.length())));
                    case 1 -> text.deleteCharAt(at);
                    default -> text.insert(at, CHARACTERS.charAt(random.nextInt(CHARACTERS.length())));
                }
            }
            assertSameAsInstantParse(text.toString());
        }
    }

    @Test
    void shouldLeaveOtherFormsToInstantParseWhenTheyAreNotTheCommonOne() {
        for (final String text : List.of("2024-02-30T00:00:00Z", "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z",
                "2025-04-31T00:00:00Z", "2025-13-01T00:00:00Z", "2025-00-01T00:00:00Z", "2025-01-00T00:00:00Z",
                "2025-01-01T24:00:00Z", "2025-12-31T23:59:60Z", "2025-01-01T00:60:00Z", "2025-03-01T04:30:00+02:00",
                "2025-03-01t04:30:00z", "2025-03-01T04:30:00.Z", "2025-03-01T04:30:00.1234567890Z",
                "+12025-03-01T04:30:00Z", "-0001-03-01T04:30:00Z", "2025-03-01T04:30Z", "2025-03-01 04:30:00Z",
                "２０２５-03-01T04:30:00Z")) {
            assertThat(IsoInstant.fast(text)).as(text).isNull();
            assertSameAsInstantParse(text);
        }
    }

    private static void assertSameAsInstantParse(final String text) {
        Instant expected;
        try {
            expected = Instant.parse(text);
        } catch (final DateTimeParseException e) {
            expected = null;
        }
        Instant actual;
        try {
            actual = IsoInstant.parse(text);
        } catch (final DateTimeParseException e) {
            actual = null;
        }
        assertThat(actual).as(text).isEqualTo(expected);
    }

    /** {@code Instant.toString()} with its fraction rewritten to {@code digits} digits (0: none). */
    private static String withDigits(final String iso, final int digits) {
        final String seconds = iso.substring(0, 19);
        final int dot = iso.indexOf('.');
        final String fraction = (dot < 0 ? "" : iso.substring(dot + 1, iso.length() - 1)) + "000000000";
        return seconds + (digits == 0 ? "" : "." + fraction.substring(0, digits)) + "Z";
    }
}
