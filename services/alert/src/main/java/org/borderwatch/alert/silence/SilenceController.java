package org.borderwatch.alert.silence;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
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
import org.borderwatch.service.security.RegionPatterns;
import org.borderwatch.avro.Silence;
import org.borderwatch.schemas.AvroMaps;
import org.borderwatch.service.body.JsonBody;
import org.borderwatch.service.body.JsonFields;
import org.borderwatch.service.problem.ProblemException;
import org.borderwatch.service.security.BorderwatchPrincipal;
import org.borderwatch.service.security.Role;

/**
 * Silences ({@code border.silences.v1}): suppress notifications (SSE, webhooks) of matching alerts for a time,
 * never the alert record. A silence stays within its creator's regions; without region matchers it covers exactly
 * the creator's regions. Expiring ends it now; it stays listed for the record.
 */
@Controller("/v1/silences")
@Secured({Role.Names.OPS_CENTER, Role.Names.ADMIN})
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "silences")
public final class SilenceController {

    private final SilenceStore store;
    private final AlertConfig config;

    public SilenceController(final SilenceStore store, final AlertConfig config) {
        this.store = store;
        this.config = config;
    }

    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Silence notifications of matching alerts between startsAt and endsAt")
    public HttpResponse<Map<String, Object>> create(
            @RequestBody(required = true, content = @Content(schema = @Schema(implementation = SilenceRequest.class)))
            @Body @Nullable final byte[] body, final Authentication authentication) {
        final BorderwatchPrincipal principal = BorderwatchPrincipal.of(authentication);
        final JsonFields fields = JsonBody.object(body, "a silence", SilenceRequest.FIELDS);
        final SilenceRequest request = SilenceRequest.read(fields);
        fields.violations().addAll(RegionPatterns.check("regions", request.regions(), principal.regions()));
        final Instant now = Instant.now();
        // A silence never reaches into the past: notifications already decided stay decided (and replay the same).
        final Instant start = request.startsAt() == null || request.startsAt().isBefore(now) ? now
                : request.startsAt();
        if (request.endsAt() != null && !request.endsAt().isAfter(start)) {
            fields.violation("after-start", "endsAt", "endsAt must lie after startsAt and now");
        }
        fields.throwIfInvalid();
        final List<String> regions = new ArrayList<>(request.regions());
        final Instant endsAt = request.endsAt();
        if (regions.isEmpty() && !principal.regions().contains(RegionPatterns.ALL)) {
            regions.addAll(principal.regions());
        }
        final Silence silence = Silence.newBuilder()
                .setSilenceId("sil_" + UUID.randomUUID().toString().replace("-", ""))
                .setRegions(regions)
                .setThreatTypes(request.threatTypes())
                .setRuleIds(request.ruleIds())
                .setStartsAt(start)
                .setEndsAt(endsAt)
                .setCreatedBy(principal.name())
                .setComment(request.comment())
                .setCreatedAt(now)
                .setExpiredBy(null)
                .build();
        store.save(silence, config.writeTimeout());
        return HttpResponse.<Map<String, Object>>created(AvroMaps.toMap(silence))
                .headers(headers -> headers.location(URI.create("/v1/silences/" + silence.getSilenceId())));
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Silences the caller may manage; active=true lists only those in force now")
    public Map<String, Object> list(@QueryValue @Nullable final Boolean active, final Authentication authentication) {
        final BorderwatchPrincipal principal = BorderwatchPrincipal.of(authentication);
        final Instant now = Instant.now();
        return Map.of("silences", store.all().stream()
                .filter(silence -> mayManage(principal, silence))
                .filter(silence -> active == null || !active || SilenceStore.activeAt(silence, now))
                .map(AvroMaps::toMap).toList());
    }

    @Delete(uri = "/{silenceId}", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Expire a silence now")
    public Map<String, Object> expire(@PathVariable final String silenceId, final Authentication authentication) {
        final BorderwatchPrincipal principal = BorderwatchPrincipal.of(authentication);
        final Silence silence = managed(silenceId, principal);
        final Instant now = Instant.now();
        if (!silence.getEndsAt().isAfter(now)) {
            return AvroMaps.toMap(silence);
        }
        final Silence expired = Silence.newBuilder(silence)
                .setEndsAt(now)
                .setStartsAt(silence.getStartsAt().isAfter(now) ? now : silence.getStartsAt())
                .setExpiredBy(principal.name())
                .build();
        store.save(expired, config.writeTimeout());
        return AvroMaps.toMap(expired);
    }

    @Patch(uri = "/{silenceId}", consumes = {MediaType.APPLICATION_JSON, JsonBody.MERGE_PATCH},
            produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Edit a silence: extend or shorten it (endsAt), change its comment; before it starts also"
            + " its matchers and start")
    public Map<String, Object> edit(
            @PathVariable final String silenceId,
            @RequestBody(required = true, content = @Content(schema = @Schema(implementation = SilenceRequest.class)))
            @Body @Nullable final byte[] body, final Authentication authentication) {
        final BorderwatchPrincipal principal = BorderwatchPrincipal.of(authentication);
        final Silence silence = managed(silenceId, principal);
        final Instant now = Instant.now();
        if (!silence.getEndsAt().isAfter(now)) {
            throw new ProblemException(HttpStatus.CONFLICT, "urn:borderwatch:problem:conflict",
                    "The silence has ended", "Silence " + silenceId + " ended at " + silence.getEndsAt()
                    + "; an ended silence stays as it was, for the record. Create a new one.", List.of(), null);
        }
        final JsonFields fields = JsonBody.object(body, "a silence", SilenceRequest.FIELDS);
        final SilenceRequest patch = SilenceRequest.readPatch(fields);
        final boolean started = !silence.getStartsAt().isAfter(now);
        if (started) {
            // What a silence in force matched, and since when, decided notifications already sent or held back;
            // changing it would make a replay decide differently.
            for (final String field : List.of("regions", "threatTypes", "ruleIds", "startsAt")) {
                if (fields.has(field)) {
                    fields.violation("started", field, "the silence is in force since " + silence.getStartsAt()
                            + ": only endsAt and comment can change; expire it and create a new one instead");
                }
            }
        } else if (fields.has("regions")) {
            fields.violations().addAll(RegionPatterns.check("regions", patch.regions(), principal.regions()));
        }
        final Instant start = started || patch.startsAt() == null ? silence.getStartsAt()
                : patch.startsAt().isBefore(now) ? now : patch.startsAt();
        final Instant end = patch.endsAt() == null ? silence.getEndsAt() : patch.endsAt();
        if (!end.isAfter(start) || !end.isAfter(now)) {
            fields.violation("after-start", "endsAt", "endsAt must lie after startsAt and now (to end a silence now,"
                    + " DELETE it)");
        }
        fields.throwIfInvalid();
        final Silence.Builder edited = Silence.newBuilder(silence)
                .setStartsAt(start)
                .setEndsAt(end)
                .setUpdatedBy(principal.name())
                .setUpdatedAt(now);
        if (fields.has("regions")) {
            final List<String> regions = new ArrayList<>(patch.regions());
            if (regions.isEmpty() && !principal.regions().contains(RegionPatterns.ALL)) {
                regions.addAll(principal.regions());
            }
            edited.setRegions(regions);
        }
        if (fields.has("threatTypes")) {
            edited.setThreatTypes(patch.threatTypes());
        }
        if (fields.has("ruleIds")) {
            edited.setRuleIds(patch.ruleIds());
        }
        if (fields.has("comment")) {
            edited.setComment(patch.comment());
        }
        final Silence saved = edited.build();
        store.save(saved, config.writeTimeout());
        return AvroMaps.toMap(saved);
    }

    private Silence managed(final String silenceId, final BorderwatchPrincipal principal) {
        return store.find(silenceId).filter(s -> mayManage(principal, s))
                .orElseThrow(() -> ProblemException.of(HttpStatus.NOT_FOUND, "No silence " + silenceId
                        + " this credential may manage."));
    }

    /** Admins manage all; others the silences they created or that lie within their regions. */
    private static boolean mayManage(final BorderwatchPrincipal principal, final Silence silence) {
        return principal.role() == Role.ADMIN || silence.getCreatedBy().equals(principal.name())
                || !silence.getRegions().isEmpty()
                && silence.getRegions().stream().allMatch(r -> RegionPatterns.covers(principal.regions(), r));
    }
}
