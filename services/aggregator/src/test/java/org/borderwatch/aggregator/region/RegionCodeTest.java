package org.borderwatch.aggregator.region;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The hand-written region code check answers as the regular expression it replaced, on every string tried. */
class RegionCodeTest {

    private static final Pattern EXPRESSION = Pattern.compile("[A-Z]{2}-[A-Z0-9]{1,3}");
    /** The edges of each class: letters, digits, their neighbours in ASCII, other scripts' letters and digits. */
    private static final String ALPHABET = "AZ@[az09/:-_ ÉЖ٣０";
    private static final String VALID = "AZ09";

    @Test
    void knownCodesAndNearMisses() {
        for (final String code : new String[] {"TJ-KT", "AF-BDS", "UZ-TO", "TM-S", "IR-30", "PK-GB", "CN-XJ"}) {
            assertThat(RegionProcessor.isSubdivisionCode(code)).as(code).isTrue();
        }
        for (final String code : new String[] {"", "TJ", "TJ-", "tj-kt", "TJ-KTXX", "TJKT", "T-JKT", "TJ_KT",
                "TJ-K T", "TJ-К", "TJ-٣", "TJ-KT\n", " TJ-KT", "TJ--K"}) {
            assertThat(RegionProcessor.isSubdivisionCode(code)).as(code).isFalse();
        }
    }

    @Test
    void answersAsTheExpressionOnRandomStrings() {
        final SplittableRandom random = new SplittableRandom(7);
        int valid = 0;
        for (int i = 0; i < 300_000; i++) {
            final StringBuilder text = new StringBuilder();
            // Half the strings have the code's shape (two characters, mostly a dash, one to four more, mostly of the
            // valid ones), so that both answers come up often; the rest are any 0 to 8 characters of the alphabet.
            final boolean shaped = random.nextBoolean();
            final int length = shaped ? 4 + random.nextInt(4) : random.nextInt(9);
            for (int j = 0; j < length; j++) {
                final String from = shaped && random.nextInt(4) > 0 ? VALID : ALPHABET;
                text.append(shaped && j == 2 && random.nextInt(8) > 0 ? '-'
                        : from.charAt(random.nextInt(from.length())));
            }
            final String candidate = text.toString();
            final boolean expected = EXPRESSION.matcher(candidate).matches();
            assertThat(RegionProcessor.isSubdivisionCode(candidate)).as("'" + candidate + "'").isEqualTo(expected);
            valid += expected ? 1 : 0;
        }
        assertThat(valid).as("valid codes among the strings tried").isGreaterThan(1_000);
    }
}
