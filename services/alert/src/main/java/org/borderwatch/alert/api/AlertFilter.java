package org.borderwatch.alert.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.borderwatch.service.security.RegionPatterns;
import org.borderwatch.avro.Alert;
import org.borderwatch.avro.AlertStatus;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatType;
import org.borderwatch.service.body.BodyRules;
import org.borderwatch.service.body.JsonFields;
import org.borderwatch.service.problem.ProblemException;
import org.borderwatch.service.problem.Violation;
import org.borderwatch.service.security.BorderwatchPrincipal;

/**
 * What a reader asked for (query parameters) intersected with what it may see (its regions). Every endpoint and
 * stream filters through one of these, so no path shows an alert outside the principal's regions.
 *
 * @param principal   who asks; only alerts in its regions pass
 * @param regions     region patterns asked for; empty = all the principal may see
 * @param threatTypes empty = any
 * @param minSeverity lowest severity that passes
 * @param status      null = any
 * @param since       only alerts updated at or after (null = no bound)
 * @param until       only alerts updated before (null = no bound)
 */
public record AlertFilter(BorderwatchPrincipal principal, List<String> regions, Set<ThreatType> threatTypes,
                          Severity minSeverity, AlertStatus status, Instant since, Instant until)
        implements Predicate<Alert> {

    public static AlertFilter visibleTo(final BorderwatchPrincipal principal) {
        return new AlertFilter(principal, List.of(), Set.of(), Severity.LOW, null, null, null);
    }

    /** Parses query parameters; every invalid one is reported (422) in one answer. */
    public static AlertFilter parse(final BorderwatchPrincipal principal, final String region, final String threatType,
                                    final String minSeverity, final String status, final String since,
                                    final String until) {
        final List<Violation> violations = new ArrayList<>();
        final List<String> regions = split(region);
        regions.stream().filter(p -> !RegionPatterns.isValid(p)).forEach(p -> violations.add(new Violation("region",
                "region-pattern", "'" + JsonFields.echo(p)
                + "' is not an ISO 3166-2 code (TJ-KT), a country prefix (TJ-*) or *")));
        final Set<ThreatType> threatTypes = split(threatType).stream()
                .map(t -> parseEnum(ThreatType.class, t, "threatType", violations))
                .filter(t -> t != null).collect(Collectors.toSet());
        final Severity severity = minSeverity == null ? Severity.LOW
                : parseEnum(Severity.class, minSeverity, "minSeverity", violations);
        final AlertStatus alertStatus = status == null ? null : parseEnum(AlertStatus.class, status, "status",
                violations);
        final Instant from = instant(since, "since", violations);
        final Instant to = instant(until, "until", violations);
        if (!violations.isEmpty()) {
            throw ProblemException.invalid(violations);
        }
        return new AlertFilter(principal, regions, threatTypes, severity == null ? Severity.LOW : severity,
                alertStatus, from, to);
    }

    @Override
    public boolean test(final Alert alert) {
        return principal.mayAccessRegion(alert.getRegion())
                && (regions.isEmpty() || RegionPatterns.matchesAny(regions, alert.getRegion()))
                && (threatTypes.isEmpty() || threatTypes.contains(alert.getThreatType()))
                && alert.getSeverity().ordinal() >= minSeverity.ordinal()
                && (status == null || alert.getStatus() == status)
                && (since == null || !alert.getUpdatedAt().isBefore(since))
                && (until == null || alert.getUpdatedAt().isBefore(until));
    }

    static List<String> split(final String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    static <E extends Enum<E>> E parseEnum(final Class<E> type, final String value, final String field,
                                           final List<Violation> violations) {
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            violations.add(new Violation(field, BodyRules.ENUM, "'" + JsonFields.echo(value) + "' is not one of "
                    + Arrays.toString(type.getEnumConstants())));
            return null;
        }
    }

    private static Instant instant(final String value, final String field, final List<Violation> violations) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (final java.time.format.DateTimeParseException e) {
            violations.add(new Violation(field, BodyRules.INSTANT, "'" + JsonFields.echo(value)
                    + "' is not an ISO-8601 instant such as"
                    + " 2025-05-01T10:00:00Z"));
            return null;
        }
    }
}
