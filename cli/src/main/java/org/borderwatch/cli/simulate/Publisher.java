package org.borderwatch.cli.simulate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Sends reports through the ingest API's {@code POST /v1/batch}, one request per agency key. A request the API
 * could not take now — 503 (Kafka unavailable), lines answered {@code failed}, or no connection at all (the dev
 * stack restarting ingest) — is sent again with the same event ids after the API's {@code Retry-After} or a
 * doubling backoff, until {@code giveUpAfter} passes without any answer; rejected lines are counted and their first
 * errors reported, and the simulation goes on.
 */
final class Publisher {

    /** What became of one batch. */
    record Outcome(int accepted, List<String> rejections) {
    }

    /** Something the simulator cannot go on from: a wrong key, or the API gone for longer than allowed. */
    static final class FatalException extends Exception {

        private static final long serialVersionUID = 1L;

        FatalException(final String message) {
            super(message);
        }
    }

    private static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private final URI batch;
    private final Duration giveUpAfter;
    private final Notices notices;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** Where retry notices go (the progress output). */
    interface Notices {
        void notice(String line);
    }

    Publisher(final String ingestUrl, final Duration giveUpAfter, final Notices notices) {
        this.batch = URI.create(ingestUrl.replaceAll("/+$", "") + "/v1/batch");
        this.giveUpAfter = giveUpAfter;
        this.notices = notices;
    }

    /** Publishes {@code lines} (NDJSON) with {@code key}; returns once every line is accepted or rejected. */
    Outcome publish(final String principal, final String key, final List<String> lines)
            throws FatalException, InterruptedException {
        List<String> pending = lines;
        int accepted = 0;
        final List<String> rejections = new ArrayList<>();
        long unavailableSince = 0;
        int failures = 0;
        while (!pending.isEmpty()) {
            Optional<Duration> retryAfter = Optional.empty();
            String why;
            try {
                final HttpResponse<String> response = http.send(request(key, pending),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                final int status = response.statusCode();
                retryAfter = response.headers().firstValueAsLong("Retry-After").stream()
                        .mapToObj(Duration::ofSeconds).findFirst();
                if (status == 200 || status == 207) {
                    final List<String> failed = new ArrayList<>();
                    for (final JsonNode result : json.readTree(response.body()).path("results")) {
                        final int index = result.path("line").asInt() - 1;
                        switch (result.path("status").asText()) {
                            case "accepted" -> accepted++;
                            case "failed" -> failed.add(pending.get(index));
                            default -> rejections.add(result.path("errors").toString());
                        }
                    }
                    if (failed.isEmpty()) {
                        return new Outcome(accepted, rejections);
                    }
                    pending = failed;
                    why = failed.size() + " reports not stored (Kafka did not acknowledge them)";
                } else if (status == 503) {
                    why = "Kafka is unavailable (ingest answered 503)";
                } else {
                    throw new FatalException("the ingest API refused " + principal + "'s batch: HTTP " + status
                            + " " + problem(response.body()));
                }
            } catch (final IOException e) {
                why = "ingest is unreachable at " + batch + " (" + e.getClass().getSimpleName() + ")";
            }
            final long now = System.nanoTime();
            if (failures == 0) {
                unavailableSince = now;
            }
            final Duration backoff = FIRST_WAIT.multipliedBy(1L << Math.min(failures, 5));
            failures++;
            final Duration wanted = retryAfter.filter(after -> after.compareTo(backoff) > 0).orElse(backoff);
            final Duration wait = wanted.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wanted;
            if (Duration.ofNanos(now - unavailableSince).plus(wait).compareTo(giveUpAfter) > 0) {
                throw new FatalException(why + "; gave up after " + giveUpAfter.toSeconds() + " s");
            }
            notices.notice(why + "; sending " + pending.size() + " reports again in " + wait.toSeconds()
                    + " s (same event ids)");
            Thread.sleep(wait.toMillis());
        }
        return new Outcome(accepted, rejections);
    }

    private HttpRequest request(final String key, final List<String> lines) {
        return HttpRequest.newBuilder(batch)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-ndjson")
                .header("Accept", "application/json")
                .header("X-API-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(lines.stream().collect(Collectors.joining("\n", "", "\n")),
                        StandardCharsets.UTF_8))
                .build();
    }

    private String problem(final String body) {
        try {
            final JsonNode node = json.readTree(body);
            return node.path("title").asText("") + ": " + node.path("detail").asText(body);
        } catch (final IOException e) {
            return body;
        }
    }
}
