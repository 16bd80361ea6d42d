package org.borderwatch.ingest.batch;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.borderwatch.ingest.IngestConfig;
import org.borderwatch.ingest.IngestMetrics;
import org.borderwatch.ingest.IngestMetrics.Reason;
import org.borderwatch.ingest.event.Event;
import org.borderwatch.ingest.event.EventReader;
import org.borderwatch.ingest.event.EventType;
import org.borderwatch.service.body.MalformedBodyException;
import org.borderwatch.ingest.event.Reading;
import org.borderwatch.ingest.event.Rules;
import org.borderwatch.service.body.BodyRules;
import org.borderwatch.service.kafka.AcknowledgedWriter;
import org.borderwatch.service.problem.ProblemException;
import org.borderwatch.service.problem.Violation;
import org.borderwatch.service.security.BorderwatchPrincipal;
import org.borderwatch.service.security.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/batch}: NDJSON, one event per line with {@code "type": "incident" | "seizure"}. Every line gets a
 * result: valid lines are published (all sent, then all awaited), invalid ones rejected with their broken rules,
 * and a valid line Kafka did not acknowledge is {@code failed} (outcome unknown), to be sent again with its
 * eventId. Answers 200 when every line was accepted, 207 otherwise (with {@code Retry-After} when a line failed).
 */
@Controller("/v1")
@Secured({Role.Names.AGENCY, Role.Names.ADMIN})
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "reports")
public final class BatchController {

    public static final String NDJSON = "application/x-ndjson";

    private static final Logger LOG = LoggerFactory.getLogger(BatchController.class);
    private static final String TYPE = EventType.TYPE_FIELD;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private final EventReader reader;
    private final AcknowledgedWriter writer;
    private final AcknowledgedWriter.OutcomeUnknown outcomeUnknown;
    private final IngestMetrics metrics;
    private final IngestConfig config;

    public BatchController(final EventReader reader, final AcknowledgedWriter writer, final IngestMetrics metrics,
                           final IngestConfig config) {
        this.reader = reader;
        this.writer = writer;
        this.metrics = metrics;
        this.config = config;
        this.outcomeUnknown = Event.outcomeUnknown(config.retryAfter());
    }

    /** A valid line on its way to Kafka. */
    private record Sent(int index, int line, EventType type, String eventId,
                        CompletableFuture<RecordMetadata> acknowledged) {
    }

    @Post(uri = "/batch", consumes = NDJSON, produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Publish many incidents and seizures, one JSON object per line",
            description = "Each line is an incident or seizure body plus \"type\": \"incident\" or \"seizure\".")
    @ApiResponse(responseCode = "200", description = "Every line accepted",
            content = @Content(schema = @Schema(implementation = BatchResult.class)))
    @ApiResponse(responseCode = "207", description = "Some lines rejected or failed; see results",
            content = @Content(schema = @Schema(implementation = BatchResult.class)))
    @ApiResponse(responseCode = "400", description = "The batch holds no lines")
    @ApiResponse(responseCode = "413", description = "More lines than borderwatch.ingest.max-batch-lines, or a body"
            + " larger than micronaut.server.max-request-size")
    public HttpResponse<byte[]> batch(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = NDJSON, schema = @Schema(type = "string"))) @Body final byte[] body,
            @Header(HttpHeaders.CONTENT_TYPE) @Nullable final String contentType,
            final Authentication authentication) {
        if (contentType == null) {
            // With another Content-Type the route does not match at all (415 from the router).
            throw ProblemException.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Send the batch with Content-Type: " + NDJSON);
        }
        final BorderwatchPrincipal principal = BorderwatchPrincipal.of(authentication);
        final int[] lines = lines(body);
        final int lineCount = lines.length / 2;
        int events = 0;
        for (int i = 0; i < lineCount; i++) {
            events += lines[2 * i] < 0 ? 0 : 1;
        }
        if (events == 0) {
            throw ProblemException.of(HttpStatus.BAD_REQUEST, "The batch holds no events; send one JSON object per"
                    + " line.");
        }
        if (events > config.maxBatchLines()) {
            metrics.rejected(Reason.TOO_LARGE, events);
            throw ProblemException.of(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "The batch holds " + events
                    + " events; at most " + config.maxBatchLines() + " are accepted per request. Split it.");
        }

        final List<LineResult> results = new ArrayList<>(events);
        final List<Sent> sent = new ArrayList<>(events);
        boolean kafkaDown = false;
        for (int i = 0; i < lineCount; i++) {
            if (lines[2 * i] < 0) {
                continue;
            }
            final int line = i + 1;
            final Optional<Reading> reading = read(body, lines[2 * i], lines[2 * i + 1], line, principal, results);
            if (reading.isEmpty()) {
                continue;
            }
            final Event<?> event = reading.get().event();
            if (kafkaDown) {
                // Kafka already failed a send of this batch without even taking the record: do not wait again.
                results.add(failed(line, reading.get().eventId()));
                continue;
            }
            final CompletableFuture<RecordMetadata> acknowledged = event.sendWith(writer);
            kafkaDown = acknowledged.isCompletedExceptionally();
            sent.add(new Sent(results.size(), line, event.type(), reading.get().eventId(), acknowledged));
            results.add(null);
        }
        for (final Sent line : sent) {
            results.set(line.index(), await(line, lineCount));
        }

        final BatchResult result = BatchResult.of(results);
        LOG.info("Batch from {}: {} events, {} accepted, {} rejected, {} failed{}", principal.name(), result.lines(),
                result.accepted(), result.rejected(), result.failed(),
                result.failed() > 0 ? "; the failed lines are for the agency to send again" : "");
        final MutableHttpResponse<byte[]> response = HttpResponse.status(
                result.accepted() == result.lines() ? HttpStatus.OK : HttpStatus.MULTI_STATUS);
        if (result.failed() > 0) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, config.retryAfter().toSeconds())));
        }
        // Written by hand (BatchResultJson), the same JSON Micronaut would write for the BatchResult.
        return response.contentType(MediaType.APPLICATION_JSON_TYPE).body(BatchResultJson.write(result));
    }

    /** The line as a valid reading, or empty after adding its rejection to {@code results}. */
    private Optional<Reading> read(final byte[] body, final int from, final int to, final int line,
                                   final BorderwatchPrincipal principal, final List<LineResult> results) {
        final JsonNode node;
        try {
            node = reader.parse(body, from, to);
        } catch (final MalformedBodyException e) {
            metrics.rejected(Reason.MALFORMED_JSON);
            results.add(LineResult.rejected(line, null, List.of(new Violation("", e.rule(), e.getMessage()))));
            return Optional.empty();
        }
        final JsonNode typeNode = node.isObject() ? node.get(TYPE) : null;
        final Optional<EventType> type = typeNode != null && typeNode.isString()
                ? EventType.fromId(typeNode.getStringValue()) : Optional.empty();
        if (type.isEmpty()) {
            metrics.rejected(Reason.VALIDATION);
            results.add(LineResult.rejected(line, null, List.of(new Violation(TYPE,
                    typeNode == null ? BodyRules.REQUIRED : BodyRules.ENUM,
                    "each line needs \"type\": \"incident\" or \"seizure\""))));
            return Optional.empty();
        }
        final Reading reading = reader.read(type.get(), node, true);
        final List<Violation> forbidden = reading.forbidden(principal);
        final List<Violation> errors = new ArrayList<>(forbidden);
        errors.addAll(reading.violations());
        if (errors.isEmpty()) {
            return Optional.of(reading);
        }
        metrics.rejected(forbidden.isEmpty() ? Reason.VALIDATION : Reason.of(forbidden));
        results.add(LineResult.rejected(line, reading.eventId(), errors));
        return Optional.empty();
    }

    private LineResult await(final Sent line, final int lineCount) {
        try {
            final RecordMetadata metadata = writer.await(line.acknowledged(), outcomeUnknown);
            metrics.accepted(line.type());
            return LineResult.accepted(line.line(), line.eventId(), metadata.topic(), metadata.partition(),
                    metadata.offset());
        } catch (final ProblemException e) {
            LOG.warn("Line {} of {} (event {}) is reported as failed", line.line(), lineCount, line.eventId());
            return failed(line.line(), line.eventId());
        }
    }

    private LineResult failed(final int line, final String eventId) {
        metrics.rejected(Reason.KAFKA_UNAVAILABLE);
        return LineResult.failed(line, eventId, new Violation("", Rules.KAFKA_UNAVAILABLE,
                outcomeUnknown.detail()));
    }

    /**
     * Splits NDJSON on '\n' (never part of a multi-byte UTF-8 character) without copying: line {@code i} is
     * {@code body[lines[2i], lines[2i + 1])}, and {@code lines[2i]} is -1 for a blank line.
     */
    static int[] lines(final byte[] body) {
        int count = 1;
        for (int i = newline(body, 0); i < body.length; i = newline(body, i + 1)) {
            count++;
        }
        final int[] lines = new int[2 * count];
        int start = 0;
        for (int line = 0; line < count; line++) {
            final int end = newline(body, start);
            lines[2 * line] = isBlank(body, start, end) ? -1 : start;
            lines[2 * line + 1] = end;
            start = end + 1;
        }
        return lines;
    }

    /**
     * The index of the first '\n' at or after {@code from}, or {@code body.length}; eight bytes at a time: a
     * 1,000-line body is ~500 KB, scanned twice (count, then split).
     */
    static int newline(final byte[] body, final int from) {
        int i = from;
        while (i + Long.BYTES <= body.length) {
            // The bytes equal to '\n' become zero; the lowest zero byte sets the lowest flagged bit (little-endian).
            final long x = (long) LONGS.get(body, i) ^ NEWLINES;
            final long zero = (x - ONES) & ~x & HIGH_BITS;
            if (zero != 0) {
                return i + (Long.numberOfTrailingZeros(zero) >>> 3);
            }
            i += Long.BYTES;
        }
        while (i < body.length && body[i] != '\n') {
            i++;
        }
        return i;
    }

    private static boolean isBlank(final byte[] body, final int from, final int to) {
        for (int i = from; i < to; i++) {
            final byte b = body[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
