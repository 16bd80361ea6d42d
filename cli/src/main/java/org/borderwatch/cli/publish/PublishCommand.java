package org.borderwatch.cli.publish;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Sends a file of incidents and seizures through the ingest API's {@code POST /v1/batch} in chunks, shows a
 * progress bar, and ends with a summary: accepted, rejected with the rule each line broke, and lines Kafka did not
 * take. Exit code 0 when every line was accepted, 3 when some were not, 1 when the API could not be used.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Publish incidents and seizures from an NDJSON or CSV file through the ingest API.")
public final class PublishCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "NDJSON (.ndjson, .jsonl) or CSV (.csv) file")
    Path file;

    @Option(names = "--url", defaultValue = "${env:BORDERWATCH_INGEST_URL:-http://127.0.0.1:8081}",
            description = "Ingest API base URL (default: ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--api-key", defaultValue = "${env:BORDERWATCH_API_KEY}",
            description = "API key of the publishing agency (default: $BORDERWATCH_API_KEY)")
    String apiKey;

    @Option(names = "--type", description = "incident or seizure, for lines or CSV rows without a type")
    String type;

    @Option(names = "--shift-to-now", description = "Move all event times so the latest is now (replay a recorded scenario)")
    boolean shiftToNow;

    @Option(names = "--chunk", defaultValue = "500", description = "Lines per batch request (default: ${DEFAULT-VALUE})")
    int chunk;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @Override
    public Integer call() throws Exception {
        final PrintStream err = System.err;
        if (apiKey == null || apiKey.isBlank()) {
            err.println("No API key: pass --api-key or set BORDERWATCH_API_KEY (./borderwatch dev prints demo keys).");
            return 1;
        }
        final List<EventFile.Line> read = EventFile.read(file, type);
        final List<EventFile.Line> lines = shiftToNow ? EventFile.shiftToNow(read, Instant.now()) : read;
        final Progress progress = new Progress(err, lines.size());
        final Summary summary = new Summary();
        for (int from = 0; from < lines.size(); from += chunk) {
            final List<EventFile.Line> part = lines.subList(from, Math.min(lines.size(), from + chunk));
            final HttpResponse<String> response = send(part, err);
            if (response == null) {
                return 1;
            }
            if (response.statusCode() / 100 != 2) {
                progress.done();
                err.println("The ingest API refused the batch: HTTP " + response.statusCode() + " " + problem(response));
                summary.print(System.out, lines.size());
                return 1;
            }
            summary.add(json.readTree(response.body()), part);
            progress.update(from + part.size(), summary.accepted, summary.rejected.size() + summary.failed.size());
        }
        progress.done();
        summary.print(System.out, lines.size());
        return summary.rejected.isEmpty() && summary.failed.isEmpty() ? 0 : 3;
    }

    private HttpResponse<String> send(final List<EventFile.Line> part, final PrintStream err)
            throws IOException, InterruptedException {
        final String body = part.stream().map(EventFile.Line::json).collect(Collectors.joining("\n", "", "\n"));
        final HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/v1/batch"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-ndjson")
                .header("Accept", "application/json")
                .header("X-API-Key", apiKey)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        for (int attempt = 1; ; attempt++) {
            final HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (final IOException e) {
                err.println("\nCannot reach the ingest API at " + url + ": " + e.getMessage());
                return null;
            }
            // Kafka unavailable: the API says when to try again; a few tries, then give up and say so.
            if (response.statusCode() != 503 || attempt == 5) {
                return response;
            }
            final long wait = response.headers().firstValueAsLong("Retry-After").orElse(2);
            err.println("\nKafka is unavailable (503); retrying in " + wait + " s (attempt " + attempt + " of 5)");
            Thread.sleep(Duration.ofSeconds(Math.min(wait, 30)).toMillis());
        }
    }

    private String problem(final HttpResponse<String> response) {
        try {
            final JsonNode node = json.readTree(response.body());
            return node.path("title").asText("") + ": " + node.path("detail").asText(response.body());
        } catch (final IOException e) {
            return response.body();
        }
    }

    /** Totals and the rejected lines, by their number in the file. */
    static final class Summary {
        long accepted;
        final List<String> rejected = new ArrayList<>();
        final List<String> failed = new ArrayList<>();
        final Map<String, Integer> byRule = new TreeMap<>();

        void add(final JsonNode response, final List<EventFile.Line> part) {
            for (final JsonNode result : response.path("results")) {
                final int index = result.path("line").asInt() - 1;
                final long fileLine = index >= 0 && index < part.size() ? part.get(index).number() : -1;
                final String status = result.path("status").asText();
                if ("accepted".equals(status)) {
                    accepted++;
                } else if ("rejected".equals(status)) {
                    final List<String> reasons = new ArrayList<>();
                    for (final JsonNode error : result.path("errors")) {
                        final String rule = error.path("rule").asText("invalid");
                        byRule.merge(rule, 1, Integer::sum);
                        reasons.add(error.path("field").asText("") + " " + rule + ": " + error.path("message").asText(""));
                    }
                    rejected.add("line " + fileLine + ": " + String.join("; ", reasons));
                } else {
                    final List<String> reasons = new ArrayList<>();
                    result.path("errors").forEach(error -> reasons.add(error.path("message").asText(error.path("rule").asText())));
                    failed.add("line " + fileLine + ": " + (reasons.isEmpty() ? result.toString() : String.join("; ", reasons)));
                }
            }
        }

        void print(final PrintStream out, final int total) {
            out.printf("%d lines: %d accepted, %d rejected, %d not stored (Kafka)%n", total, accepted,
                    rejected.size(), failed.size());
            if (!byRule.isEmpty()) {
                out.println("Rejected by rule: " + byRule);
            }
            rejected.stream().limit(20).forEach(line -> out.println("  rejected " + line));
            if (rejected.size() > 20) {
                out.println("  ... and " + (rejected.size() - 20) + " more rejected lines");
            }
            failed.stream().limit(20).forEach(line -> out.println("  not stored " + line + " (safe to publish again)"));
        }
    }

    /** A one-line progress bar on stderr. */
    static final class Progress {
        private final PrintStream err;
        private final int total;

        Progress(final PrintStream err, final int total) {
            this.err = err;
            this.total = total;
        }

        void update(final int sent, final long accepted, final int notAccepted) {
            final int width = 30;
            final int filled = total == 0 ? width : (int) ((long) sent * width / total);
            err.printf("\r[%s%s] %d/%d  accepted %d  rejected %d", "#".repeat(filled), " ".repeat(width - filled),
                    sent, total, accepted, notAccepted);
            err.flush();
        }

        void done() {
            err.println();
        }
    }
}
