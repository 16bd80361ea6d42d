package org.borderwatch.alert.api;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.borderwatch.alert.AlertConfig;
import org.borderwatch.alert.format.AlertRenderer;
import org.borderwatch.alert.format.CapRenderer;
import org.borderwatch.service.kafka.AcknowledgedWriter;
import org.borderwatch.alert.log.AlertLog;
import org.borderwatch.alert.log.LoggedAlert;
import org.borderwatch.alert.silence.SilenceStore;
import org.borderwatch.avro.Alert;
import org.borderwatch.avro.AlertCommand;
import org.borderwatch.avro.AlertCommandType;
import org.borderwatch.avro.AlertStatus;
import org.borderwatch.schemas.Topics;
import org.borderwatch.service.body.JsonBody;
import org.borderwatch.service.body.JsonFields;
import org.borderwatch.service.problem.ProblemException;
import org.borderwatch.service.problem.Violation;
import org.borderwatch.service.security.BorderwatchPrincipal;
import org.borderwatch.service.security.Role;

/**
 * The alerts a principal may see (those in its regions; others are answered 404, as if they did not exist), their
 * history, their CAP rendering, acknowledgement, operator notes and manual resolve. Reads come from what this
 * instance holds of the alert log, or from the log itself for alerts no longer in memory ({@link AlertLog}); a
 * change is a command to the lifecycle, answered once the resulting change is in the log.
 */
@Controller("/v1/alerts")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "alerts")
public final class AlertController {

    static final String TYPE_CONFLICT = "urn:borderwatch:problem:conflict";
    static final int MAX_LIMIT = 1000;

    private final AlertLog log;
    private final AcknowledgedWriter writer;
    private final AlertRenderer renderer;
    private final AlertConfig config;
    private final SilenceStore silences;

    public AlertController(final AlertLog log, final AcknowledgedWriter writer, final AlertRenderer renderer,
                           final AlertConfig config, final SilenceStore silences) {
        this.log = log;
        this.writer = writer;
        this.renderer = renderer;
        this.config = config;
        this.silences = silences;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    @Secured({Role.Names.OPS_CENTER, Role.Names.ANALYST, Role.Names.ADMIN})
    @Operation(summary = "Current state of the alerts in the caller's regions, most recently updated first")
    public Map<String, Object> list(@QueryValue @Nullable final String status,
                                    @QueryValue @Nullable final String region,
                                    @QueryValue @Nullable final String threatType,
                                    @QueryValue @Nullable final String minSeverity,
                                    @QueryValue @Nullable final String since,
                                    @QueryValue @Nullable final String until,
                                    @QueryValue @Nullable final Integer limit,
                                    final Authentication authentication) {
        final AlertFilter filter = AlertFilter.parse(BorderwatchPrincipal.of(authentication), region, threatType,
                minSeverity, status, since, until);
        final int max = limit == null ? 100 : limit;
        if (max < 1 || max > MAX_LIMIT) {
            throw ProblemException.invalid(List.of(new Violation("limit", "range",
                    "limit must be between 1 and " + MAX_LIMIT)));
        }
        final List<Alert> alerts = log.currentAlerts(filter);
        final Map<String, Object> body = new LinkedHashMap<>();
        final Instant now = Instant.now();
        body.put("alerts", alerts.stream().limit(max).map(alert -> view(alert, now)).toList());
        body.put("total", alerts.size());
        return body;
    }

    @Get(uri = "/{alertId}", produces = MediaType.APPLICATION_JSON)
    @Secured({Role.Names.OPS_CENTER, Role.Names.ANALYST, Role.Names.ADMIN})
    @Operation(summary = "One alert with its whole history (every change, oldest first)")
    public Map<String, Object> get(@PathVariable final String alertId, final Authentication authentication) {
        final List<LoggedAlert> history = visibleHistory(alertId, BorderwatchPrincipal.of(authentication));
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("alert", view(history.get(history.size() - 1).alert(), Instant.now()));
        body.put("history", history.stream().map(change -> {
            final Map<String, Object> entry = new LinkedHashMap<>(AlertRenderer.data(change.alert()));
            entry.put("position", change.partition() + ":" + change.offset());
            return entry;
        }).toList());
        return body;
    }

    @Get(uri = "/{alertId}/cap", produces = CapRenderer.CONTENT_TYPE)
    @Secured({Role.Names.OPS_CENTER, Role.Names.ANALYST, Role.Names.ADMIN})
    @Operation(summary = "The alert's current state as an OASIS CAP 1.2 message")
    public HttpResponse<String> cap(@PathVariable final String alertId, final Authentication authentication) {
        final List<LoggedAlert> history = visibleHistory(alertId, BorderwatchPrincipal.of(authentication));
        final Alert previous = history.size() < 2 ? null : history.get(history.size() - 2).alert();
        return HttpResponse.ok(renderer.cap(history.get(history.size() - 1).alert(), previous))
                .contentType(CapRenderer.CONTENT_TYPE);
    }

    @Post(uri = "/{alertId}/ack", produces = MediaType.APPLICATION_JSON)
    @Secured({Role.Names.OPS_CENTER, Role.Names.ADMIN})
    @Operation(summary = "Acknowledge a firing alert, with an optional comment; every subscriber gets the change")
    public HttpResponse<Map<String, Object>> acknowledge(@PathVariable final String alertId,
                                                         @RequestBody(content = @Content(schema = @Schema(
                                                                 implementation = AckRequest.class)))
                                                         @Body @Nullable final byte[] body,
                                                         final Authentication authentication) {
        final BorderwatchPrincipal principal = BorderwatchPrincipal.of(authentication);
        final JsonFields fields = JsonBody.optionalObject(body, "an acknowledgement", AckRequest.FIELDS);
        final String comment = AckRequest.read(fields).comment();
        fields.throwIfInvalid();
        final Alert current = current(alertId, principal);
        if (current.getStatus() != AlertStatus.FIRING) {
            throw conflict("Alert " + alertId + " is resolved; only a firing alert can be acknowledged.");
        }
        if (current.getAcknowledgement() != null) {
            throw conflict("Alert " + alertId + " was already acknowledged by "
                    + current.getAcknowledgement().getBy() + " at " + current.getAcknowledgement().getAt() + ".");
        }
        return command(current, AlertCommandType.ACKNOWLEDGE, principal, comment, HttpStatus.OK);
    }

    @Post(uri = "/{alertId}/notes", produces = MediaType.APPLICATION_JSON)
    @Secured({Role.Names.OPS_CENTER, Role.Names.ADMIN})
    @Operation(summary = "Add an operator note to an alert (firing or resolved); it becomes part of its history")
    public HttpResponse<Map<String, Object>> note(@PathVariable final String alertId,
                                                  @RequestBody(required = true, content = @Content(schema = @Schema(
                                                          implementation = NoteRequest.class)))
                                                  @Body @Nullable final byte[] body,
                                                  final Authentication authentication) {
        final BorderwatchPrincipal principal = BorderwatchPrincipal.of(authentication);
        final JsonFields fields = JsonBody.object(body, "a note", NoteRequest.FIELDS);
        final String text = NoteRequest.read(fields).text();
        fields.throwIfInvalid();
        final Alert current = current(alertId, principal);
        return command(current, AlertCommandType.NOTE, principal, text, HttpStatus.CREATED);
    }

    @Post(uri = "/{alertId}/resolve", produces = MediaType.APPLICATION_JSON)
    @Secured({Role.Names.OPS_CENTER, Role.Names.ADMIN})
    @Operation(summary = "Resolve a firing alert by hand, with a reason; it stays resolved for the rest of its"
            + " breach's episode unless the breach escalates")
    public HttpResponse<Map<String, Object>> resolve(@PathVariable final String alertId,
                                                     @RequestBody(required = true, content = @Content(schema = @Schema(
                                                             implementation = ResolveRequest.class)))
                                                     @Body @Nullable final byte[] body,
                                                     final Authentication authentication) {
        final BorderwatchPrincipal principal = BorderwatchPrincipal.of(authentication);
        final JsonFields fields = JsonBody.object(body, "a manual resolve", ResolveRequest.FIELDS);
        final String reason = ResolveRequest.read(fields).reason();
        fields.throwIfInvalid();
        final Alert current = current(alertId, principal);
        if (current.getStatus() != AlertStatus.FIRING) {
            throw conflict("Alert " + alertId + " is already resolved (at " + current.getEndsAt() + ").");
        }
        return command(current, AlertCommandType.RESOLVE, principal, reason, HttpStatus.OK);
    }

    /**
     * Sends a command to the lifecycle and answers with the change it makes, once this instance has read it; 202
     * with the command id when the lifecycle has not applied it within {@code write-timeout} (it is stored and will
     * be).
     */
    private HttpResponse<Map<String, Object>> command(final Alert current, final AlertCommandType type,
                                                      final BorderwatchPrincipal principal, final String text,
                                                      final HttpStatus success) {
        final String alertId = current.getAlertId();
        final AlertCommand command = AlertCommand.newBuilder()
                .setCommandId(UUID.randomUUID())
                .setAlertId(alertId)
                .setType(type)
                .setBy(principal.name())
                .setAt(Instant.now())
                .setComment(text)
                .build();
        final var applied = log.awaitChange(alertId, alert -> alert.getVersion() > current.getVersion());
        writer.write(Topics.ALERT_COMMANDS, alertId, command);
        try {
            final Alert next = applied.get(config.writeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return HttpResponse.<Map<String, Object>>status(success).body(AlertRenderer.data(next));
        } catch (final TimeoutException e) {
            applied.cancel(false);
            // Stored as a command; the lifecycle applies it when it catches up.
            return HttpResponse.<Map<String, Object>>status(HttpStatus.ACCEPTED)
                    .body(Map.of("alertId", alertId, "commandId", command.getCommandId().toString()));
        } catch (final ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The alert as the API shows its current state: the record, plus {@code silencedBy}, the silences that hold back
     * its notifications now ({@code silenceId}, {@code endsAt}, {@code comment}; empty when none).
     */
    private Map<String, Object> view(final Alert alert, final Instant now) {
        final Map<String, Object> view = new LinkedHashMap<>(AlertRenderer.data(alert));
        view.put("silencedBy", silences.silencing(alert, now).stream().map(silence -> {
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("silenceId", silence.getSilenceId());
            entry.put("endsAt", silence.getEndsAt().toString());
            entry.put("comment", silence.getComment());
            return entry;
        }).toList());
        return view;
    }

    private Alert current(final String alertId, final BorderwatchPrincipal principal) {
        return log.current(alertId).filter(alert -> principal.mayAccessRegion(alert.getRegion()))
                .orElseThrow(() -> notFound(alertId));
    }

    private List<LoggedAlert> visibleHistory(final String alertId, final BorderwatchPrincipal principal) {
        final List<LoggedAlert> history = log.history(alertId);
        if (history.isEmpty() || !principal.mayAccessRegion(history.get(0).alert().getRegion())) {
            throw notFound(alertId);
        }
        return history;
    }

    private static ProblemException notFound(final String alertId) {
        return ProblemException.of(HttpStatus.NOT_FOUND, "No alert " + alertId
                + " in the regions this credential may see.");
    }

    private static ProblemException conflict(final String detail) {
        return new ProblemException(HttpStatus.CONFLICT, TYPE_CONFLICT, "The alert is not in a state that allows this",
                detail, List.of(), null);
    }
}
