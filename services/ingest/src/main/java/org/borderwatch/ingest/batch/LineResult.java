package org.borderwatch.ingest.batch;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import org.borderwatch.service.problem.Violation;

/**
 * The fate of one batch line.
 *
 * @param line    1-based line number in the request body (blank lines count, so it matches an editor)
 * @param status  {@code accepted} (Kafka has it), {@code rejected} (broke a rule; fix it) or {@code failed}
 *                (valid, but Kafka did not acknowledge in time: outcome unknown; retry with the same eventId)
 * @param eventId the line's eventId as sent, when it had one
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LineResult(int line, String status, String eventId, String topic, Integer partition, Long offset,
                         @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Violation> errors) {

    public static final String ACCEPTED = "accepted";
    public static final String REJECTED = "rejected";
    public static final String FAILED = "failed";

    static LineResult accepted(final int line, final String eventId, final String topic, final int partition,
                               final long offset) {
        return new LineResult(line, ACCEPTED, eventId, topic, partition, offset, List.of());
    }

    static LineResult rejected(final int line, final String eventId, final List<Violation> errors) {
        return new LineResult(line, REJECTED, eventId, null, null, null, errors);
    }

    static LineResult failed(final int line, final String eventId, final Violation error) {
        return new LineResult(line, FAILED, eventId, null, null, null, List.of(error));
    }
}
