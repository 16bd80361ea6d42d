package org.borderwatch.cli.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.borderwatch.cli.http.ApiClient;
import org.borderwatch.cli.http.ApiResponse;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What became of one chunk of lines: every line's outcome, and why publishing must stop (null when it may go on).
 * {@link #send} posts the chunk, re-sends the lines Kafka did not acknowledge (same bytes, so the same eventIds:
 * counted once downstream) and leaves the waiting while Kafka is unavailable to {@link ApiClient}.
 */
record ChunkResult(List<Outcome> outcomes, String fatal) {

    enum Status { ACCEPTED, REJECTED, UNKNOWN, NOT_SENT }

    /**
     * @param line   the line's number in the file
     * @param rules  the rules a rejected line broke
     * @param reason for a rejected line, every broken rule in words
     */
    record Outcome(long line, Status status, List<String> rules, String reason) {

        static Outcome of(final EventFile.Line line, final Status status) {
            return new Outcome(line.number(), status, List.of(), "");
        }
    }

    static ChunkResult send(final ApiClient client, final List<EventFile.Line> part) {
        final List<Outcome> outcomes = new ArrayList<>(part.size());
        List<EventFile.Line> pending = part;
        while (true) {
            final ApiResponse response = client.send("POST", "/v1/batch", PublishCommand.NDJSON, body(pending),
                    ChunkResult::kafkaUnavailable);
            if (!response.reached()) {
                return stop(outcomes, pending, response.mayHaveArrived() ? Status.UNKNOWN : Status.NOT_SENT,
                        response.describe());
            }
            if (kafkaUnavailable(response) != null) {
                return stop(outcomes, pending, Status.UNKNOWN, "Kafka is unavailable: the ingest API at "
                        + client.baseUrl() + " got no line acknowledged for " + seconds(client) + " (--give-up-after);"
                        + " stopped.");
            }
            if (!response.ok()) {
                return stop(outcomes, pending, Status.NOT_SENT, "The batch was refused: " + response.describe()
                        + errors(response.json()));
            }
            final List<EventFile.Line> failed = new ArrayList<>();
            final boolean[] answered = new boolean[pending.size()];
            for (final BatchAnswer.Result result : BatchAnswer.parse(response.body()).results()) {
                final int index = result.line() - 1;
                if (index < 0 || index >= pending.size() || answered[index]) {
                    continue;
                }
                answered[index] = true;
                final EventFile.Line line = pending.get(index);
                switch (result.status()) {
                    case "accepted" -> outcomes.add(Outcome.of(line, Status.ACCEPTED));
                    case "rejected" -> outcomes.add(rejected(line, result.errors()));
                    default -> failed.add(line);
                }
            }
            for (int i = 0; i < pending.size(); i++) {
                if (!answered[i]) {
                    // Not in the answer: nobody can say whether it was stored.
                    outcomes.add(Outcome.of(pending.get(i), Status.UNKNOWN));
                }
            }
            if (failed.isEmpty()) {
                return new ChunkResult(outcomes, null);
            }
            // Some lines got through, so Kafka is there: send the others again at once.
            pending = failed;
        }
    }

    /** A batch that is a 503, or has every valid line failed (Kafka down), means "try later". */
    static String kafkaUnavailable(final ApiResponse response) {
        if (response.status() == 503) {
            return "the ingest API answered 503";
        }
        if (!response.ok()) {
            return null;
        }
        final BatchAnswer totals = BatchAnswer.totals(response.body());
        if (totals.accepted() == 0 && totals.failed() > 0) {
            return "the ingest API answered: Kafka did not acknowledge " + totals.failed() + " lines";
        }
        return null;
    }

    private static ChunkResult stop(final List<Outcome> outcomes, final List<EventFile.Line> pending,
                                    final Status status, final String why) {
        pending.forEach(line -> outcomes.add(Outcome.of(line, status)));
        return new ChunkResult(outcomes, why);
    }

    private static Outcome rejected(final EventFile.Line line, final List<BatchAnswer.Error> errors) {
        final List<String> rules = new ArrayList<>();
        final List<String> reasons = new ArrayList<>();
        for (final BatchAnswer.Error error : errors) {
            rules.add(error.rule());
            reasons.add((error.field() + " " + error.rule()).strip() + ": " + error.message());
        }
        return new Outcome(line.number(), Status.REJECTED, rules, String.join("; ", reasons));
    }

    private static String errors(final JsonNode problem) {
        final StringBuilder text = new StringBuilder();
        for (final JsonNode error : problem.path("errors")) {
            text.append("; ").append(error.path("field").asText("")).append(' ')
                    .append(error.path("message").asText(""));
        }
        return text.toString();
    }

    private static String body(final List<EventFile.Line> lines) {
        return lines.stream().map(EventFile.Line::json).collect(Collectors.joining("\n", "", "\n"));
    }

    private static String seconds(final ApiClient client) {
        return client.budget().giveUpAfter().toSeconds() + " s";
    }
}
