package org.borderwatch.cli.query;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.borderwatch.cli.DurationConverter;
import org.borderwatch.cli.http.ApiClient;
import org.borderwatch.cli.http.ApiResponse;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code borderwatch query}: the aggregator's interactive queries in the terminal. {@code aggregates} prints the
 * windows of one region or country ({@code GET /v1/aggregates}), {@code top} the regions with the highest value of
 * a metric now ({@code GET /v1/aggregates/top}); as a table, or as the API's JSON with {@code --json}. Any
 * aggregator instance answers completely; while the instances rebalance the API answers 503 and the command retries
 * after the time it says, for {@code --give-up-after} at most ({@link ApiClient}). Exit code 0 on an answer, 3 when the API refused (the problem is printed), 1 when it could
 * not be reached.
 */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = "Query live aggregates from the aggregator (interactive queries).",
        subcommands = {QueryCommand.Aggregates.class, QueryCommand.Top.class})
public final class QueryCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return 2;
    }

    /** {@code query aggregates}: every window of one region or country. */
    @Command(name = "aggregates", mixinStandardHelpOptions = true,
            description = "Windows of one region (TJ-KT) or country (TJ) whose start lies in [from, to).")
    static final class Aggregates implements Callable<Integer> {

        @Mixin
        ApiOptions api;

        @Option(names = "--region", required = true, description = "Region (TJ-KT) or country (TJ)")
        String region;

        @Option(names = "--threat-type", description = "One threat type (default: all)")
        String threatType;

        @Option(names = "--window", description = "One configured window, e.g. PT1H (default: all)")
        String window;

        @Option(names = "--from", description = "Earliest window start, ISO-8601 (default: 24 h before --to)")
        String from;

        @Option(names = "--to", description = "Window starts before this, ISO-8601 (default: now)")
        String to;

        @Override
        public Integer call() {
            final ApiClient client = api.client();
            final ApiResponse response = client.get("/v1/aggregates" + ApiClient.query(
                    "region", region, "threatType", threatType, "window", window, "from", from, "to", to));
            if (!response.ok()) {
                return response.report(System.err);
            }
            if (api.json) {
                System.out.println(response.body());
                return 0;
            }
            final Table table = new Table("WINDOW", "START (UTC)", "THREAT TYPE", "EVENTS", "SEIZURE KG", "SCORE",
                    "MAX SEVERITY", "AGENCIES", "LAST EVENT");
            for (final JsonNode a : response.json().path("aggregates")) {
                table.row(a.path("window").asText(), a.path("windowStart").asText(), a.path("threatType").asText(),
                        a.path("eventCount").asText(), Table.number(a.path("seizureKg")),
                        Table.number(a.path("severityScore")), a.path("maxSeverity").asText(""),
                        a.path("distinctAgencies").asText(), a.path("lastEventAt").asText(""));
            }
            System.out.printf("%s (%s), windows starting %s to %s, served by %s%n", response.json().path("region")
                    .asText(), response.json().path("level").asText(), response.json().path("from").asText(),
                    response.json().path("to").asText(), response.json().path("servedBy").asText());
            table.print(System.out, "No windows with reports in this range.");
            return 0;
        }
    }

    /** {@code query top}: the regions with the highest value of a metric in the current window. */
    @Command(name = "top", mixinStandardHelpOptions = true,
            description = "Regions (or countries) with the highest value of a metric in the current window.")
    static final class Top implements Callable<Integer> {

        @Mixin
        ApiOptions api;

        @Option(names = "--metric", description = "EVENT_COUNT (default), SEIZURE_KG or SEVERITY_SCORE")
        String metric;

        @Option(names = "--window", description = "A configured window (default: the first, PT1H)")
        String window;

        @Option(names = "--threat-type", description = "One threat type (default: all together)")
        String threatType;

        @Option(names = "--level", description = "region (default) or country")
        String level;

        @Option(names = "--limit", description = "How many, 1 to 1000 (default: 10)")
        Integer limit;

        @Option(names = "--at", description = "Rank the current window at this time, ISO-8601 (default: now)")
        String at;

        @Override
        public Integer call() {
            final ApiClient client = api.client();
            final ApiResponse response = client.get("/v1/aggregates/top" + ApiClient.query(
                    "metric", metric, "window", window, "threatType", threatType, "level", level,
                    "limit", limit == null ? null : limit.toString(), "at", at));
            if (!response.ok()) {
                return response.report(System.err);
            }
            if (api.json) {
                System.out.println(response.body());
                return 0;
            }
            final JsonNode body = response.json();
            final Table table = new Table("#", body.path("level").asText("region").toUpperCase(), "VALUE",
                    "EVENTS", "SEIZURE KG", "SCORE", "MAX SEVERITY", "AGENCIES", "LAST EVENT");
            int rank = 0;
            for (final JsonNode e : body.path("entries")) {
                table.row(Integer.toString(++rank), e.path("region").asText(), Table.number(e.path("value")),
                        e.path("eventCount").asText(), Table.number(e.path("seizureKg")),
                        Table.number(e.path("severityScore")), e.path("maxSeverity").asText(""),
                        e.path("distinctAgencies").asText(), e.path("lastEventAt").asText(""));
            }
            final JsonNode first = body.path("entries").path(0);
            System.out.printf("%s by %s, %s window%s at %s%s%n", body.path("level").asText(),
                    body.path("metric").asText(), body.path("window").asText(),
                    body.path("threatType").isTextual() ? " of " + body.path("threatType").asText() : "",
                    body.path("at").asText(), first.isMissingNode() ? ""
                            : " (" + first.path("windowStart").asText() + " to " + first.path("windowEnd").asText()
                            + ")");
            table.print(System.out, "No region has a value above zero in this window.");
            return 0;
        }
    }

    /** The options every aggregator command takes. */
    public static final class ApiOptions {

        @Option(names = "--url", defaultValue = "${env:BORDERWATCH_AGGREGATOR_URL:-http://127.0.0.1:8082}",
                description = "Aggregator base URL; any instance (default: ${DEFAULT-VALUE})")
        public String url;

        @Option(names = "--api-key", defaultValue = "${env:BORDERWATCH_API_KEY}",
                description = "API key (default: $BORDERWATCH_API_KEY)")
        public String apiKey;

        @Option(names = "--json", description = "Print the API's JSON answer instead of a table")
        public boolean json;

        @Option(names = "--give-up-after", defaultValue = "60s", converter = DurationConverter.class,
                description = "While the aggregator answers 503 (rebalancing, Kafka unavailable), retry for this"
                        + " long, e.g. 60s or 2m (default: ${DEFAULT-VALUE})")
        public Duration giveUpAfter;

        /** A client for these options, or null (and a message) when there is no API key or no usable URL. */
        public ApiClient client() {
            return ApiClient.forCommand(ApiClient.Service.AGGREGATOR, url, apiKey, giveUpAfter);
        }
    }

    /** A plain text table: columns as wide as their widest cell, two spaces apart. */
    public static final class Table {

        private final List<String[]> rows = new ArrayList<>();
        private final int columns;

        public Table(final String... header) {
            this.columns = header.length;
            rows.add(header);
        }

        public void row(final String... cells) {
            rows.add(cells);
        }

        public void print(final PrintStream out, final String whenEmpty) {
            if (rows.size() == 1) {
                out.println(whenEmpty);
                return;
            }
            final int[] widths = new int[columns];
            for (final String[] row : rows) {
                for (int i = 0; i < columns; i++) {
                    widths[i] = Math.max(widths[i], row[i].length());
                }
            }
            for (final String[] row : rows) {
                final StringBuilder line = new StringBuilder();
                for (int i = 0; i < columns; i++) {
                    line.append(i == columns - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
                }
                out.println(line.toString().stripTrailing());
            }
        }

        /** {@code 3} rather than {@code 3.0}; at most two decimals otherwise. */
        public static String number(final JsonNode value) {
            if (!value.isNumber()) {
                return value.asText("");
            }
            final double number = value.asDouble();
            return number == Math.rint(number) ? Long.toString((long) number)
                    : String.format(java.util.Locale.ROOT, "%.2f", number);
        }
    }
}
