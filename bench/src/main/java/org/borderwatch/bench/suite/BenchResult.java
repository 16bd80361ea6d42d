package org.borderwatch.bench.suite;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

/**
 * What one bench run measured, and its three renderings: the table on the terminal, {@code results.json} and
 * {@code report.md} with two plots ({@code latency.png}, {@code throughput.png}) in the results folder.
 *
 * @param timelines  events/s per second of each throughput measurement
 * @param latencies  202 → SSE of every latency probe, sorted, ms
 * @param fanOut     202 → SSE of every (stream, alert) of the fan-out, sorted, ms
 */
public record BenchResult(BenchSuite.Settings settings, Instant started, Instant ended, List<Figure> figures,
                          Map<String, List<Double>> timelines, double[] latencies, double[] fanOut,
                          List<String> notes) {

    public static final String JSON = "results.json";
    public static final String MARKDOWN = "report.md";
    public static final String LATENCY_PLOT = "latency.png";
    public static final String THROUGHPUT_PLOT = "throughput.png";

    /** Writes the JSON, the plots and the markdown report into {@code out}. */
    public void write(final Path out) throws IOException {
        Files.createDirectories(out);
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("started", started.toString());
        json.put("ended", ended.toString());
        json.put("quick", settings.quick());
        json.put("settings", settings);
        json.put("figures", figures.stream().map(BenchResult::json).toList());
        json.put("timelines", timelines);
        json.put("notes", notes);
        // Durations of the settings as ISO-8601 (PT20S): jackson-databind alone refuses java.time types.
        new ObjectMapper().registerModule(new SimpleModule().addSerializer(Duration.class, ToStringSerializer.instance))
                .enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve(JSON).toFile(), json);
        Charts.distribution(out.resolve(LATENCY_PLOT), "Alert latency, ingest 202 -> SSE (cumulative)",
                Map.of("alert latency (" + latencies.length + " probes)", latencies,
                        "fan-out (" + fanOut.length + " deliveries)", fanOut));
        Charts.lines(out.resolve(THROUGHPUT_PLOT), "Throughput over time", timelines);
        Files.writeString(out.resolve(MARKDOWN), markdown());
    }

    private static Map<String, Object> json(final Figure figure) {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", figure.id());
        map.put("group", figure.group());
        map.put("name", figure.name());
        map.put("value", finite(figure.value()));
        map.put("unit", figure.unit());
        map.put("ratio", finite(figure.ratio()));
        map.put("ratioTo", figure.ratioTo());
        map.put("target", figure.target());
        map.put("met", figure.met());
        return map;
    }

    private static Double finite(final double value) {
        return Double.isFinite(value) ? value : null;
    }

    /** The table: every figure, its target and its ratio. */
    public void print(final PrintStream out) {
        out.println();
        out.printf("borderwatch bench%s, %s to %s%n", settings.quick() ? " --quick" : "", started, ended);
        out.printf("%-14s %-46s %12s %-9s %-30s %-30s %s%n", "part", "figure", "value", "unit", "ratio", "target",
                "");
        for (final Figure figure : figures) {
            out.printf("%-14s %-46s %12s %-9s %-30s %-30s %s%n", figure.group(), figure.name(),
                    number(figure.value()), figure.unit(), ratio(figure), figure.target(), verdict(figure));
        }
        notes.forEach(note -> out.println("  " + note));
    }

    private String markdown() {
        final StringBuilder md = new StringBuilder();
        md.append("# borderwatch bench").append(settings.quick() ? " (--quick)" : "").append("\n\n");
        md.append("Run from ").append(started).append(" to ").append(ended).append(".\n\n");
        md.append("| part | figure | value | unit | ratio | target | |\n|---|---|---|---|---|---|---|\n");
        for (final Figure figure : figures) {
            md.append("| ").append(figure.group()).append(" | ").append(figure.name()).append(" | ")
                    .append(number(figure.value())).append(" | ").append(figure.unit()).append(" | ")
                    .append(ratio(figure)).append(" | ").append(figure.target()).append(" | ")
                    .append(verdict(figure)).append(" |\n");
        }
        md.append("\nEvery ratio is to a baseline measured in the same run, named after it.\n\n");
        notes.forEach(note -> md.append("- ").append(note).append('\n'));
        md.append("\n![Latency distribution](").append(LATENCY_PLOT).append(")\n\n![Throughput over time](")
                .append(THROUGHPUT_PLOT).append(")\n");
        return md.toString();
    }

    private static String number(final double value) {
        if (!Double.isFinite(value)) {
            return "n/a";
        }
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String ratio(final Figure figure) {
        return Double.isFinite(figure.ratio()) ? String.format(Locale.ROOT, "%.2fx %s", figure.ratio(),
                figure.ratioTo()) : "";
    }

    private static String verdict(final Figure figure) {
        return figure.met() == null ? "" : figure.met() ? "met" : "MISSED";
    }
}
