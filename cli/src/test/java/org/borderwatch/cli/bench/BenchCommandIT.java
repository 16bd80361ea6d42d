package org.borderwatch.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.borderwatch.bench.suite.BenchResult;
import org.borderwatch.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code borderwatch bench --quick} end to end, as CI runs it: a real embedded broker, Kafka's perf tools, the
 * textbook Streams apps and the packaged services as child processes. Checks that the report exists and that every
 * figure was measured (present and positive); never the targets: timing on a shared machine is not asserted.
 */
class BenchCommandIT {

    private static final Path HOME = Path.of(System.getProperty("borderwatch.home", "..")).toAbsolutePath();

    @Test
    @Timeout(value = 40, unit = TimeUnit.MINUTES)
    void shouldWriteEveryFigureAndThePlotsWhenQuickRunEnds() throws IOException {
        final Path out = Files.createTempDirectory(Files.createDirectories(HOME.resolve("cli/target")), "bench-it-");

        final int exit = Main.commandLine(new BenchCommand()).execute("--quick", "--home", HOME.toString(),
                "--out", out.toString());

        assertThat(exit).isZero();
        assertThat(out.resolve(BenchResult.MARKDOWN)).content().contains("--quick", "QUICK RUN",
                BenchResult.LATENCY_PLOT, BenchResult.THROUGHPUT_PLOT);
        for (final String plot : List.of(BenchResult.LATENCY_PLOT, BenchResult.THROUGHPUT_PLOT)) {
            final File file = out.resolve(plot).toFile();
            assertThat(ImageIO.read(file)).as(plot + " is a PNG").isNotNull();
        }
        final JsonNode results = new ObjectMapper().readTree(out.resolve(BenchResult.JSON).toFile());
        assertThat(results.get("quick").asBoolean()).isTrue();
        final List<String> ids = new ArrayList<>();
        final List<String> missing = new ArrayList<>();
        for (final JsonNode figure : results.get("figures")) {
            ids.add(figure.get("id").asText());
            if (!figure.get("value").isNumber() || figure.get("value").asDouble() <= 0) {
                missing.add(figure.get("id").asText() + " = " + figure.get("value"));
            }
        }
        assertThat(missing).as("figures not measured").isEmpty();
        assertThat(ids).contains("producer.raw", "consumer.raw", "ingest.batch", "ingest.single", "ingest.publish",
                "ingest.single.cpu", "ingest.single.capacity",
                "catchup.aggregator", "catchup.single", "catchup.three", "catchup.aggregator.vs-single",
                "latency.p50", "latency.p95", "latency.p99", "latency.aggregator-hop.p99",
                "latency.lifecycle-hop.p99", "latency.stream-hop.p99", "fanout.p99", "fanout.subscribers",
                "memory.ingest.rss", "memory.alert-service.heap", "memory.broker-harness-this-jvm.rss");
        for (final String ratio : List.of("ingest.batch", "ingest.publish", "catchup.aggregator.vs-single")) {
            assertThat(figure(results, ratio).get("ratio").asDouble()).as(ratio + " ratio").isPositive();
            assertThat(figure(results, ratio).get("met").isBoolean()).as(ratio + " judged").isTrue();
        }
    }

    private static JsonNode figure(final JsonNode results, final String id) {
        for (final JsonNode figure : results.get("figures")) {
            if (figure.get("id").asText().equals(id)) {
                return figure;
            }
        }
        throw new AssertionError("no figure " + id);
    }
}
