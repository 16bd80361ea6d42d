package org.borderwatch.ingest.report;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.borderwatch.ingest.IngestConfig;
import org.borderwatch.ingest.IngestMetrics;
import org.borderwatch.ingest.IngestMetrics.Reason;
import org.borderwatch.ingest.event.Event;
import org.borderwatch.ingest.event.EventReader;
import org.borderwatch.ingest.event.EventType;
import org.borderwatch.ingest.event.IncidentReport;
import org.borderwatch.service.body.MalformedBodyException;
import org.borderwatch.ingest.event.Reading;
import org.borderwatch.ingest.event.SeizureReport;
import org.borderwatch.service.problem.Problem;
import org.borderwatch.service.kafka.AcknowledgedWriter;
import org.borderwatch.service.problem.ProblemException;
import org.borderwatch.service.problem.Violation;
import org.borderwatch.service.security.BorderwatchPrincipal;
import org.borderwatch.service.security.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/incidents} and {@code POST /v1/seizures}: one report per request, answered 202 only once Kafka
 * has acknowledged it, 503 with {@code Retry-After} when Kafka did not within the bounded time. Runs on the
 * blocking executor because the producer may block on metadata; the thread is free again once the record is
 * handed to the producer, and the answer is written when Kafka's acknowledgement arrives.
 */
@Controller("/v1")
@Secured({Role.Names.AGENCY, Role.Names.ADMIN})
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "reports")
@ApiResponse(responseCode = "202", description = "Kafka has the event",
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Accepted.class)))
@ApiResponse(responseCode = "400", description = "Not UTF-8, empty or not JSON", content = @Content(
        mediaType = MediaType.APPLICATION_JSON_PROBLEM, schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "401", description = "No valid API key")
@ApiResponse(responseCode = "403", description = "The event's agencyId is not the credential's agency (rule"
        + " agency-mismatch), or its region is not within the credential's regions (rule outside-credential-regions)")
@ApiResponse(responseCode = "413", description = "Body larger than borderwatch.ingest.max-event-size")
@ApiResponse(responseCode = "415", description = "Content-Type is not application/json")
@ApiResponse(responseCode = "422", description = "Rules broken; errors lists every one", content = @Content(
        mediaType = MediaType.APPLICATION_JSON_PROBLEM, schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "503", description = "Kafka did not acknowledge in time: outcome unknown; retry with the"
        + " same eventId after Retry-After seconds, it is counted once")
public final class ReportController {

    private static final Logger LOG = LoggerFactory.getLogger(ReportController.class);

    private final EventReader reader;
    private final AcknowledgedWriter writer;
    private final AcknowledgedWriter.OutcomeUnknown outcomeUnknown;
    private final IngestMetrics metrics;
    private final IngestConfig config;

    public ReportController(final EventReader reader, final AcknowledgedWriter writer, final IngestMetrics metrics,
                            final IngestConfig config) {
        this.reader = reader;
        this.writer = writer;
        this.metrics = metrics;
        this.config = config;
        this.outcomeUnknown = Event.outcomeUnknown(config.retryAfter());
    }

    @Post(uri = "/incidents", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Status(HttpStatus.ACCEPTED)
    @Operation(summary = "Publish one border incident")
    public CompletableFuture<Accepted> incident(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    schema = @Schema(implementation = IncidentReport.class))) @Body final byte[] body,
            @Header(HttpHeaders.CONTENT_TYPE) @Nullable final String contentType,
            final Authentication authentication) {
        return publish(EventType.INCIDENT, body, contentType, authentication);
    }

    @Post(uri = "/seizures", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Status(HttpStatus.ACCEPTED)
    @Operation(summary = "Publish one drug seizure")
    public CompletableFuture<Accepted> seizure(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    schema = @Schema(implementation = SeizureReport.class))) @Body final byte[] body,
            @Header(HttpHeaders.CONTENT_TYPE) @Nullable final String contentType,
            final Authentication authentication) {
        return publish(EventType.SEIZURE, body, contentType, authentication);
    }

    private CompletableFuture<Accepted> publish(final EventType type, final byte[] body, final String contentType,
                                                final Authentication authentication) {
        if (contentType == null) {
            // With a Content-Type other than JSON the route does not match at all (415 from the router).
            throw ProblemException.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Send the event with Content-Type: "
                    + MediaType.APPLICATION_JSON);
        }
        if (body.length > config.maxEventSize()) {
            metrics.rejected(Reason.TOO_LARGE);
            throw ProblemException.of(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "The body has " + body.length
                    + " bytes; one event may have at most " + config.maxEventSize()
                    + ". Many events go to POST /v1/batch.");
        }
        final BorderwatchPrincipal principal = BorderwatchPrincipal.of(authentication);
        final Reading reading;
        try {
            reading = reader.read(type, reader.parse(body), false);
        } catch (final MalformedBodyException e) {
            metrics.rejected(Reason.MALFORMED_JSON);
            LOG.info("Rejected a malformed {} from {}: {}; answered 400", type.id(), principal.name(),
                    loggable(e.getMessage()));
            throw ProblemException.malformed(e.rule(), e.getMessage());
        }
        final List<Violation> forbidden = reading.forbidden(principal);
        if (!forbidden.isEmpty()) {
            metrics.rejected(Reason.of(forbidden));
            final String detail = String.join("; ", forbidden.stream().map(Violation::message).toList());
            LOG.info("Refused {} {} from {}: {}; answered 403", type.id(), loggable(reading.eventId()),
                    principal.name(), loggable(detail));
            throw ProblemException.forbidden(detail, forbidden);
        }
        if (!reading.valid()) {
            metrics.rejected(Reason.VALIDATION);
            LOG.info("Rejected {} {} from {}: rules {}; answered 422", type.id(), loggable(reading.eventId()),
                    principal.name(), loggable(reading.violations().stream().map(v -> v.field() + ":" + v.rule())
                            .toList().toString()));
            throw ProblemException.invalid(reading.violations());
        }
        return send(reading.event(), principal);
    }

    /**
     * Answers once Kafka acknowledged, without holding the {@code io-executor} thread meanwhile: a parked thread per
     * request in flight, woken by the producer's thread only to hand the answer on to the event loop, cost a wake-up
     * and a context switch per request (under 64 clients 165–201 µs of this service's CPU per request against
     * 110–136 µs now, in three back-to-back pairs: bench/README.md, Single events).
     */
    private CompletableFuture<Accepted> send(final Event<?> event, final BorderwatchPrincipal principal) {
        return writer.acknowledged(event.sendWith(writer), outcomeUnknown).handle((metadata, error) -> {
            if (error != null) {
                metrics.rejected(Reason.KAFKA_UNAVAILABLE);
                LOG.warn("Answered 503 with Retry-After {} to {} {} from {}; the agency is expected to retry with the"
                        + " same eventId", config.retryAfter(), event.type().id(), event.eventId(), principal.name());
                throw error instanceof CompletionException wrapped ? wrapped : new CompletionException(error);
            }
            metrics.accepted(event.type());
            LOG.debug("Published {} {} from {} to {}-{}@{}", event.type().id(), event.eventId(), principal.name(),
                    metadata.topic(), metadata.partition(), metadata.offset());
            return new Accepted(event.eventId().toString(), metadata.topic(), metadata.partition(),
                    metadata.offset());
        });
    }

    /** Client text in a log line: control characters replaced, so a body cannot forge log lines. */
    private static String loggable(final String text) {
        return text == null ? "-" : text.replaceAll("\\p{Cntrl}", "?");
    }

}
