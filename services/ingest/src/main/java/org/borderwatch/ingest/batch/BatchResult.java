package org.borderwatch.ingest.batch;

import java.util.List;

import io.micronaut.serde.annotation.Serdeable;

/** The answer to a batch: totals, then one result per non-blank line, in line order. */
@Serdeable
public record BatchResult(int lines, int accepted, int rejected, int failed, List<LineResult> results) {

    static BatchResult of(final List<LineResult> results) {
        final int accepted = count(results, LineResult.ACCEPTED);
        final int rejected = count(results, LineResult.REJECTED);
        return new BatchResult(results.size(), accepted, rejected, results.size() - accepted - rejected, results);
    }

    private static int count(final List<LineResult> results, final String status) {
        return (int) results.stream().filter(result -> result.status().equals(status)).count();
    }
}
