package org.borderwatch.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report files of a run, from figures made up here: what {@code bench} writes once it has measured. */
class BenchResultTest {

    @TempDir
    Path out;

    @Test
    void shouldWriteJsonMarkdownAndPlotsWhenSettingsHoldDurations() throws IOException {
        final Map<String, List<Double>> timelines = new LinkedHashMap<>();
        timelines.put("ingest batch", List.of(40_000.0, 42_000.0, 41_000.0));
        final BenchResult result = new BenchResult(BenchSuite.Settings.quick(7), Instant.parse("2026-12-06T11:00:00Z"),
                Instant.parse("2026-12-06T11:05:00Z"), List.of(
                        Figure.of("ingest.batch", "ingest", "POST /v1/batch", 41_000, "events/s")
                                .ratio(100_000, "raw producer").ratioAtLeast(0.5),
                        Figure.of("latency.p99", "alert latency", "p99", 180, "ms").below(250)),
                timelines, new double[] {90, 120, 180}, new double[] {200, 300}, List.of("a note"));

        result.write(out);

        final JsonNode json = new ObjectMapper().readTree(out.resolve(BenchResult.JSON).toFile());
        assertThat(json.get("settings").get("ingestMeasured").asText()).isEqualTo("PT5S");
        assertThat(json.get("figures").get(0).get("ratio").asDouble()).isEqualTo(0.41);
        assertThat(json.get("figures").get(0).get("met").asBoolean()).isFalse();
        assertThat(json.get("figures").get(1).get("met").asBoolean()).isTrue();
        assertThat(Files.readString(out.resolve(BenchResult.MARKDOWN))).contains("| ingest | POST /v1/batch | 41,000 |",
                "MISSED", "- a note", BenchResult.LATENCY_PLOT);
        assertThat(ImageIO.read(out.resolve(BenchResult.LATENCY_PLOT).toFile())).isNotNull();
        assertThat(ImageIO.read(out.resolve(BenchResult.THROUGHPUT_PLOT).toFile())).isNotNull();
    }
}
