package org.borderwatch.alert.silence;

import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.borderwatch.alert.AlertConfig;
import org.borderwatch.service.security.RegionPatterns;
import org.borderwatch.avro.Silence;
import org.borderwatch.avro.ThreatType;
import org.borderwatch.schemas.AvroMaps;
import org.borderwatch.service.problem.ProblemException;
import org.borderwatch.service.problem.Violation;
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

    private static final int MAX_COMMENT = 1000;

    private final SilenceStore store;
    private final AlertConfig config;

    public SilenceController(final SilenceStore store, final AlertConfig config) {
        this.store = store;
        this.config = config;
    }

    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Silence notifications of matching alerts between startsAt and endsAt")
    public HttpResponse<Map<String, Object>> create(@Body final SilenceRequest request,
                                                    final Authentication authentication) {
        final BorderwatchPrincipal principal = BorderwatchPrincipal.of(authentication);
        final List<Violation> violations = new ArrayList<>();
        final List<String> regions = new ArrayList<>();
        for (final String region : request.regions() == null ? List.<String>of() : request.regions()) {
            if (!RegionPatterns.isValid(region)) {
                violations.add(new Violation("regions", "region-pattern", "'" + region
                        + "' is not an ISO 3166-2 code (TJ-KT), a country prefix (TJ-*) or *"));
            } else if (!RegionPatterns.covers(principal.regions(), region)) {
                violations.add(new Violation("regions", "outside-credential-regions", "'" + region
                        + "' is not within this credential's regions " + principal.regions()));
            } else {
                regions.add(region);
            }
        }
        final List<ThreatType> threatTypes = new ArrayList<>();
        for (final String threatType : request.threatTypes() == null ? List.<String>of() : request.threatTypes()) {
            try {
                threatTypes.add(ThreatType.valueOf(threatType.strip().toUpperCase(Locale.ROOT)));
            } catch (final IllegalArgumentException e) {
                violations.add(new Violation("threatTypes", "one-of", "'" + threatType + "' is not one of "
                        + Arrays.toString(ThreatType.values())));
            }
        }
        final Instant now = Instant.now();
        final Instant startsAt = instant(request.startsAt(), "startsAt", violations);
        final Instant endsAt = instant(request.endsAt(), "endsAt", violations);
        if (request.endsAt() == null) {
            violations.add(new Violation("endsAt", "required", "a silence needs an end (ISO-8601 instant)"));
        }
        // A silence never reaches into the past: notifications already decided stay decided (and replay the same).
        final Instant start = startsAt == null || startsAt.isBefore(now) ? now : startsAt;
        if (endsAt != null && !endsAt.isAfter(start)) {
            violations.add(new Violation("endsAt", "after-start", "endsAt must lie after startsAt and now"));
        }
        if (request.comment() != null && request.comment().length() > MAX_COMMENT) {
            violations.add(new Violation("comment", "max-length", "at most " + MAX_COMMENT + " characters"));
        }
        if (!violations.isEmpty()) {
            throw ProblemException.invalid(violations);
        }
        if (regions.isEmpty() && !principal.regions().contains(RegionPatterns.ALL)) {
            regions.addAll(principal.regions());
        }
        final Silence silence = Silence.newBuilder()
                .setSilenceId("sil_" + UUID.randomUUID().toString().replace("-", ""))
                .setRegions(regions)
                .setThreatTypes(threatTypes)
                .setRuleIds(request.ruleIds() == null ? List.of() : request.ruleIds())
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
        final Silence silence = store.find(silenceId).filter(s -> mayManage(principal, s))
                .orElseThrow(() -> ProblemException.of(HttpStatus.NOT_FOUND, "No silence " + silenceId
                        + " this credential may manage."));
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

    /** Admins manage all; others the silences they created or that lie within their regions. */
    private static boolean mayManage(final BorderwatchPrincipal principal, final Silence silence) {
        return principal.role() == Role.ADMIN || silence.getCreatedBy().equals(principal.name())
                || !silence.getRegions().isEmpty()
                && silence.getRegions().stream().allMatch(r -> RegionPatterns.covers(principal.regions(), r));
    }

    private static Instant instant(final String value, final String field, final List<Violation> violations) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (final DateTimeParseException e) {
            violations.add(new Violation(field, "instant", "'" + value + "' is not an ISO-8601 instant such as"
                    + " 2025-05-01T10:00:00Z"));
            return null;
        }
    }
}
