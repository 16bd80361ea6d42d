package org.borderwatch.ingest.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.micronaut.serde.ObjectMapper;
import org.borderwatch.service.problem.Violation;
import org.junit.jupiter.api.Test;

/**
 * The batch answer written by hand must be, byte for byte, what Micronaut's serializer writes for the same
 * {@link BatchResult} (the service configures no serialization settings, so the default mapper is the service's).
 */
class BatchResultJsonTest {

    private static final String[] TEXTS = {"", " ", "TJ-KT", "3f2b8c1e-7d4a-4e7b-9a51-0c6f2d9e8b17", "a \"quoted\" \\",
        "line\nbreak\ttab\u0000\u001f", "é ж ق 中 😀 \u2028", "border.incidents.v1", "unknown-region",
        "region 'TJ-XX' is not in the region reference list"};

    private final ObjectMapper micronaut = ObjectMapper.getDefault();

    @Test
    void shouldWriteWhatMicronautWritesWhenResultsAreRandom() throws IOException {
        final Random random = new Random(20261206L);
        for (int i = 0; i < 2_000; i++) {
            final List<LineResult> lines = new ArrayList<>();
            final int count = 1 + random.nextInt(random.nextInt(10) == 0 ? 1_000 : 5);
            for (int line = 0; line < count; line++) {
                lines.add(line(random));
            }
            final BatchResult result = BatchResult.of(lines);

            final String expected = new String(micronaut.writeValueAsBytes(result), StandardCharsets.UTF_8);
            assertThat(new String(BatchResultJson.write(result), StandardCharsets.UTF_8)).isEqualTo(expected);
        }
    }

    @Test
    void shouldLeaveOutWhatALineDoesNotHave() {
        final BatchResult result = BatchResult.of(List.of(
                LineResult.accepted(1, "e1", "border.incidents.v1", 3, 17L),
                LineResult.rejected(3, null, List.of(new Violation("", "malformed-json", "not JSON")))));

        assertThat(new String(BatchResultJson.write(result), StandardCharsets.UTF_8)).isEqualTo(
                "{\"lines\":2,\"accepted\":1,\"rejected\":1,\"failed\":0,\"results\":["
                        + "{\"line\":1,\"status\":\"accepted\",\"eventId\":\"e1\",\"topic\":\"border.incidents.v1\","
                        + "\"partition\":3,\"offset\":17},"
                        + "{\"line\":3,\"status\":\"rejected\",\"errors\":[{\"field\":\"\",\"rule\":\"malformed-json\","
                        + "\"message\":\"not JSON\"}]}]}");
    }

    private static LineResult line(final Random random) {
        final int line = random.nextInt(3) == 0 ? random.nextInt() : random.nextInt(10_000);
        return switch (random.nextInt(4)) {
            case 0 -> LineResult.accepted(line, text(random), text(random), random.nextInt(Integer.MAX_VALUE),
                    random.nextBoolean() ? random.nextLong() : random.nextInt(1_000_000));
            case 1 -> LineResult.rejected(line, text(random), violations(random));
            case 2 -> LineResult.failed(line, text(random), violation(random));
            default -> new LineResult(line, TEXTS[random.nextInt(TEXTS.length)], text(random), text(random),
                    random.nextBoolean() ? null : random.nextInt(), random.nextBoolean() ? null : random.nextLong(),
                    random.nextBoolean() ? null : violations(random));
        };
    }

    private static List<Violation> violations(final Random random) {
        final List<Violation> violations = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            violations.add(violation(random));
        }
        return violations;
    }

    private static Violation violation(final Random random) {
        return new Violation(text(random), text(random), text(random));
    }

    /** One of the texts, or null now and then. */
    private static String text(final Random random) {
        final int pick = random.nextInt(TEXTS.length + 2);
        return pick >= TEXTS.length ? (pick == TEXTS.length ? null : TEXTS[random.nextInt(TEXTS.length)]
                + TEXTS[random.nextInt(TEXTS.length)]) : TEXTS[pick];
    }
}
