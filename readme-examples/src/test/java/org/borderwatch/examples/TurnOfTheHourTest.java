package org.borderwatch.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalTime;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When the README examples wait so that the demo surge and the examples acting on its alert share a clock hour. */
class TurnOfTheHourTest {

    @ParameterizedTest(name = "at {0} wait {1} s")
    @CsvSource({
            "22:00:04, 146", // the CI run that failed: the surge straddled 22:00
            "22:00:00, 150",
            "22:02:29, 1",
            "22:02:30, 0",
            "22:30:00, 0",
            "22:52:00, 0",   // 8 minutes left: the examples fit
            "22:52:01, 629", // 7:59 left: next hour, 150 s into it
            "21:59:00, 210",
            "23:59:59, 151"})
    void shouldStartTheExamplesWithinOneClockHourWhenTheyWouldStraddleItsTurn(final LocalTime now,
                                                                              final long seconds) {
        final Duration wait = ReadmeExamplesIT.waitBeforeTheExamples(now);

        assertThat(wait).isEqualTo(Duration.ofSeconds(seconds));
        final int start = (now.toSecondOfDay() + (int) seconds) % 3600;
        assertThat(start).isBetween(150, 3600 - 8 * 60);
    }
}
