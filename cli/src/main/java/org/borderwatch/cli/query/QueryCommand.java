package org.borderwatch.cli.query;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

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
 * after the time it says. Exit code 0 on an answer, 3 when the API refused (the problem is printed), 1 when it could
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
            final AggregatorClient client = api.client();
            if (client == null) {
                return 1;
            }
            final AggregatorClient.Response response = client.get("/v1/aggregates" + AggregatorClient.query(
                    "region", region, "threatType", threatType, "window", window, "from", from, "to", to));
            if (!response.ok()) {
                return response.report(System.err);
            }
            if (api.json) {
                System.out.println(response.raw());
                return 0;
            }
            final Table table = new Table("WINDOW", "START (UTC)", "THREAT TYPE", "EVENTS", "SEIZURE KG", "SCORE",
                    "MAX SEVERITY", "AGENCIES", "LAST EVENT");
            for (final JsonNode a : response.body().path("aggregates")) {
                table.row(a.path("window").asText(), a.path("windowStart").asText(), a.path("threatType").asText(),
                        a.path("eventCount").asText(), Table.number(a.path("seizureKg")),
                        Table.number(a.path("severityScore")), a.path("maxSeverity").asText(""),
                        a.path("distinctAgencies").asText(), a.path("lastEventAt").asText(""));
            }
            System.out.printf("%s (%s), windows starting %s to %s, served by %s%n", response.body().path("region")
                    .asText(), response.body().path("level").asText(), response.body().path("from").asText(),
                    response.body().path("to").asText(), response.body().path("servedBy").asText());
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
            final AggregatorClient client = api.client();
            if (client == null) {
                return 1;
            }
            final AggregatorClient.Response response = client.get("/v1/aggregates/top" + AggregatorClient.query(
                    "metric", metric, "window", window, "threatType", threatType, "level", level,
                    "limit", limit == null ? null : limit.toString(), "at", at));
            if (!response.ok()) {
                return response.report(System.err);
            }
            if (api.json) {
                System.out.println(response.raw());
                return 0;
            }
            final JsonNode body = response.body();
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

        /** A client for these options, or null (and a message) when there is no API key. */
        public AggregatorClient client() {
            if (apiKey == null || apiKey.isBlank()) {
                System.err.println("No API key: pass --api-key or set BORDERWATCH_API_KEY (./borderwatch dev prints"
                        + " demo keys).");
                return null;
            }
            return new AggregatorClient(url, apiKey);
        }
    }

    /**
     * The aggregator's HTTP API through {@code java.net.http}: JSON in and out, the key in {@code X-API-Key}, and
     * a few retries of a 503 after the {@code Retry-After} it names (the instances rebalance).
     */
    public static final class AggregatorClient {

        private static final int ATTEMPTS = 4;
        private static final long MAX_WAIT_SECONDS = 10;

        private final ObjectMapper json = new ObjectMapper();
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        private final String url;
        private final String apiKey;

        public AggregatorClient(final String url, final String apiKey) {
            this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            this.apiKey = apiKey;
        }

        /** An answer: its status, its body as JSON (a missing node when it has none) and as text. */
        public record Response(int status, JsonNode body, String raw, String url) {

            public boolean ok() {
                return status / 100 == 2;
            }

            /** Prints what went wrong (the problem's title, detail and every broken rule); returns the exit code. */
            public int report(final PrintStream err) {
                if (status < 0) {
                    err.println("Cannot reach the aggregator at " + url + ": " + raw);
                    return 1;
                }
                err.println("The aggregator answered HTTP " + status + ": " + body.path("title").asText("")
                        + (body.path("detail").isTextual() ? " - " + body.path("detail").asText() : raw));
                for (final JsonNode error : body.path("errors")) {
                    err.println("  " + error.path("field").asText() + " (" + error.path("rule").asText() + "): "
                            + error.path("message").asText());
                }
                return 3;
            }
        }

        public Response get(final String path) {
            return send("GET", path, null);
        }

        public Response send(final String method, final String path, final JsonNode body) {
            final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path))
                    .timeout(Duration.ofSeconds(120))
                    .header("Accept", "application/json")
                    .header("X-API-Key", apiKey);
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
                if (!"GET".equals(method)) {
                    // The API's POST routes consume JSON; an action without a body is still sent as such.
                    request.header("Content-Type", "application/json");
                }
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
            }
            for (int attempt = 1; ; attempt++) {
                final HttpResponse<String> response;
                try {
                    response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                } catch (final IOException e) {
                    return new Response(-1, MissingNode.getInstance(), String.valueOf(e.getMessage()), url);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Response(-1, MissingNode.getInstance(), "interrupted", url);
                }
                if (response.statusCode() != 503 || attempt == ATTEMPTS) {
                    return new Response(response.statusCode(), parse(response.body()), response.body(), url);
                }
                final long wait = Math.min(MAX_WAIT_SECONDS,
                        response.headers().firstValueAsLong("Retry-After").orElse(2));
                System.err.println("The aggregator is rebalancing or cannot reach Kafka (503); retrying in " + wait
                        + " s (attempt " + attempt + " of " + ATTEMPTS + ")");
                try {
                    Thread.sleep(Duration.ofSeconds(wait).toMillis());
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Response(response.statusCode(), parse(response.body()), response.body(), url);
                }
            }
        }

        public ObjectMapper json() {
            return json;
        }

        /** {@code ?a=1&b=2} from name/value pairs, leaving out null and empty values; "" when none is left. */
        public static String query(final String... namesAndValues) {
            final List<String> parts = new ArrayList<>();
            for (int i = 0; i < namesAndValues.length; i += 2) {
                final String value = namesAndValues[i + 1];
                if (value != null && !value.isBlank()) {
                    parts.add(namesAndValues[i] + "=" + URLEncoder.encode(value.strip(), StandardCharsets.UTF_8));
                }
            }
            return parts.isEmpty() ? "" : "?" + String.join("&", parts);
        }

        private JsonNode parse(final String text) {
            if (text == null || text.isBlank()) {
                return MissingNode.getInstance();
            }
            try {
                return json.readTree(text);
            } catch (final IOException e) {
                return MissingNode.getInstance();
            }
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
