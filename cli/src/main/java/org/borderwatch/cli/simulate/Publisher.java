package org.borderwatch.cli.simulate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import org.borderwatch.cli.http.ApiClient;
import org.borderwatch.cli.http.ApiResponse;
import org.borderwatch.cli.http.RetryBudget;

/**
 * Sends reports through the ingest API's {@code POST /v1/batch}, one request per agency key, with the CLI's
 * {@link ApiClient}. What the API could not take now — a 503 (Kafka unavailable), lines answered {@code failed},
 * or no connection at all (the dev stack restarting ingest) — is sent again with the same event ids, waiting as
 * the shared {@link RetryBudget} says, until it gives up; rejected lines are counted and the simulation goes on.
 */
public final class Publisher {

    /** What became of one batch. */
    record Outcome(int accepted, List<String> rejections) {
    }

    /** Something the simulator cannot go on from: a refused key, or the API gone for longer than allowed. */
    public static final class FatalException extends Exception {

        private static final long serialVersionUID = 1L;

        FatalException(final String message) {
            super(message);
        }
    }

    private final String ingestUrl;
    private final RetryBudget budget;
    private final Map<String, ApiClient> clients = new HashMap<>();

    /**
     * @param giveUpAfter how long ingest may stay unavailable
     * @param notices     where "retrying in N s" lines go
     */
    Publisher(final String ingestUrl, final Duration giveUpAfter, final Consumer<String> notices) {
        this.ingestUrl = ingestUrl;
        this.budget = new RetryBudget(giveUpAfter, notices);
    }

    /** Publishes {@code lines} (NDJSON) with {@code key}; returns once every line is accepted or rejected. */
    Outcome publish(final String principal, final String key, final List<String> lines)
            throws FatalException, InterruptedException {
        final ApiClient client = clients.computeIfAbsent(key,
                k -> new ApiClient(ApiClient.Service.INGEST, ingestUrl, k, budget));
        List<String> pending = lines;
        int accepted = 0;
        final List<String> rejections = new ArrayList<>();
        while (!pending.isEmpty()) {
            final ApiResponse response = client.send("POST", "/v1/batch", "application/x-ndjson",
                    String.join("\n", pending) + "\n");
            if (!response.reached()) {
                // The dev stack restarts a service that died: wait for it like for a 503.
                retry(Optional.empty(), response.describe());
                continue;
            }
            if (response.status() != 200 && response.status() != 207) {
                throw new FatalException(principal + "'s batch: " + response.describe());
            }
            final List<String> failed = new ArrayList<>();
            for (final JsonNode result : response.json().path("results")) {
                final int index = result.path("line").asInt() - 1;
                switch (result.path("status").asText()) {
                    case "accepted" -> accepted++;
                    case "failed" -> failed.add(pending.get(index));
                    default -> rejections.add(result.path("errors").toString());
                }
            }
            if (!failed.isEmpty()) {
                retry(response.retryAfter(), failed.size() + " reports not stored (Kafka did not acknowledge them)");
            }
            pending = failed;
        }
        return new Outcome(accepted, rejections);
    }

    private void retry(final Optional<Duration> retryAfter, final String why)
            throws FatalException, InterruptedException {
        if (!budget.awaitRetry(retryAfter, why + "; the same reports (same event ids) go again")) {
            throw new FatalException(why + "; gave up after " + budget.giveUpAfter().toSeconds() + " s");
        }
    }
}
