package org.borderwatch.aggregator.query;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;
import org.borderwatch.aggregator.host.StreamsHost;
import org.borderwatch.aggregator.rules.Level;
import org.borderwatch.aggregator.window.WindowSpec;
import org.borderwatch.avro.Metric;
import org.borderwatch.avro.ThreatType;
import org.borderwatch.service.problem.ProblemException;
import org.borderwatch.service.problem.Violation;
import org.borderwatch.service.region.Regions;
import org.borderwatch.service.security.BorderwatchPrincipal;

/**
 * Reads and checks the query parameters of the aggregate endpoints; every broken rule is reported at once (422,
 * field = the parameter). Rule names: {@code required}, {@code not-a-region-code}, {@code unknown-region},
 * {@code unknown-threat-type}, {@code unknown-metric}, {@code unknown-level}, {@code window-not-configured},
 * {@code not-an-instant}, {@code from-after-to}, {@code range-too-large}, {@code out-of-range}.
 */
@Singleton
public final class QueryParameters {

    /** Most window instances one aggregates query may compute, per window and threat type. */
    static final int MAX_WINDOWS = 2000;
    static final int MAX_LIMIT = 1000;
    static final Duration DEFAULT_RANGE = Duration.ofHours(24);

    private static final Pattern REGION_CODE = Pattern.compile("[A-Z]{2}-[A-Z0-9]{1,3}");
    private static final Pattern COUNTRY_CODE = Pattern.compile("[A-Z]{2}");
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private final List<WindowSpec> windows;
    private final Regions regions;
    private final Clock clock;

    public QueryParameters(final StreamsHost host, final Regions regions) {
        this.windows = host.config().windows();
        this.regions = regions;
        // Not a bean: a Clock bean of this module would clash with the ingest's in the end-to-end test's JVM.
        this.clock = Clock.systemUTC();
    }

    /** {@code GET /v1/aggregates}: one region or country, threat types, windows, window starts in [from, to). */
    public record AggregatesQuery(Level level, String code, List<ThreatType> threatTypes, List<WindowSpec> windows,
                                  Instant from, Instant to) {
    }

    /** {@code GET /v1/aggregates/top}: the current window at {@code at}. */
    public record TopQuery(Level level, Metric metric, WindowSpec window, ThreatType threatType, int limit,
                           Instant at) {
    }

    public AggregatesQuery aggregates(final String region, final String threatType, final String window,
                                      final String from, final String to) {
        final List<Violation> violations = new ArrayList<>();
        final Level level = level(region, violations);
        final ThreatType type = threatType(threatType, violations);
        final WindowSpec spec = window(window, violations);
        final Instant end = instant("to", to, violations);
        final Instant start = instant("from", from, violations);
        final Instant toTime = end == null ? clock.instant() : end;
        final Instant fromTime = start == null ? toTime.minus(DEFAULT_RANGE) : start;
        if (fromTime.isAfter(toTime)) {
            violations.add(new Violation("from", "from-after-to", "from " + fromTime + " is after to " + toTime));
        }
        final List<WindowSpec> specs = spec == null ? windows : List.of(spec);
        for (final WindowSpec each : specs) {
            final long instances = Duration.between(fromTime, toTime).toMillis() / each.advanceMs();
            if (instances > MAX_WINDOWS) {
                violations.add(new Violation("from", "range-too-large", "from " + fromTime + " to " + toTime
                        + " holds " + instances + " windows " + each.name() + "; at most " + MAX_WINDOWS
                        + " per window: narrow the range or name a window"));
                break;
            }
        }
        throwIfAny(violations);
        return new AggregatesQuery(level, region, type == null ? Arrays.asList(ThreatType.values()) : List.of(type),
                specs, fromTime, toTime);
    }

    public TopQuery top(final String level, final String metric, final String window, final String threatType,
                        final Integer limit, final String at) {
        final List<Violation> violations = new ArrayList<>();
        Level parsedLevel = Level.REGION;
        if (level != null && !level.isBlank()) {
            try {
                parsedLevel = Level.valueOf(level.strip().toUpperCase(Locale.ROOT));
            } catch (final IllegalArgumentException e) {
                violations.add(new Violation("level", "unknown-level", "level '" + level
                        + "' is not region or country"));
            }
        }
        Metric parsedMetric = Metric.EVENT_COUNT;
        if (metric != null && !metric.isBlank()) {
            try {
                parsedMetric = Metric.valueOf(metric.strip());
            } catch (final IllegalArgumentException e) {
                violations.add(new Violation("metric", "unknown-metric", "metric '" + metric + "' is not one of "
                        + Arrays.toString(Metric.values())));
            }
        }
        final WindowSpec spec = window == null || window.isBlank() ? windows.get(0) : window(window, violations);
        final ThreatType type = threatType(threatType, violations);
        final int parsedLimit = limit == null ? 10 : limit;
        if (parsedLimit < 1 || parsedLimit > MAX_LIMIT) {
            violations.add(new Violation("limit", "out-of-range", "limit must be between 1 and " + MAX_LIMIT
                    + ", was " + parsedLimit));
        }
        final Instant time = instant("at", at, violations);
        throwIfAny(violations);
        return new TopQuery(parsedLevel, parsedMetric, spec, type, parsedLimit, time == null ? clock.instant() : time);
    }

    /** 403 unless the principal may see {@code code}: a region by its patterns, a country only all of it. */
    public static void checkAccess(final BorderwatchPrincipal principal, final Level level, final String code) {
        if (!mayAccess(principal, level, code)) {
            throw ProblemException.forbidden("Credential '" + principal.name() + "' may see regions "
                    + principal.regions() + " only, not " + code + ".", List.of(new Violation("region",
                    "region-not-allowed", "not among the credential's regions " + principal.regions())));
        }
    }

    /**
     * Whether the principal may see {@code code}. A country roll-up sums all of its regions, so it is visible only
     * to a principal who may see every region of the country: one with {@code *} or {@code TJ-*}, which are exactly
     * the patterns that cover the pattern {@code TJ-*} itself.
     */
    public static boolean mayAccess(final BorderwatchPrincipal principal, final Level level, final String code) {
        return principal.mayAccessRegion(level.regionPattern(code));
    }

    private Level level(final String region, final List<Violation> violations) {
        if (region == null || region.isBlank()) {
            violations.add(new Violation("region", "required", "name a region (TJ-KT) or a country (TJ)"));
            return null;
        }
        if (REGION_CODE.matcher(region).matches()) {
            if (!regions.contains(region)) {
                violations.add(new Violation("region", "unknown-region", "region " + region
                        + " is not in the region reference"));
            }
            return Level.REGION;
        }
        if (COUNTRY_CODE.matcher(region).matches()) {
            if (!COUNTRIES.contains(region)) {
                violations.add(new Violation("region", "unknown-region", region
                        + " is not an ISO 3166-1 country code"));
            }
            return Level.COUNTRY;
        }
        violations.add(new Violation("region", "not-a-region-code", "'" + region
                + "' is neither an ISO 3166-2 region code (TJ-KT) nor an ISO 3166-1 country code (TJ)"));
        return null;
    }

    private static ThreatType threatType(final String threatType, final List<Violation> violations) {
        if (threatType == null || threatType.isBlank()) {
            return null;
        }
        try {
            return ThreatType.valueOf(threatType.strip());
        } catch (final IllegalArgumentException e) {
            violations.add(new Violation("threatType", "unknown-threat-type", "threat type '" + threatType
                    + "' is not one of " + Arrays.toString(ThreatType.values())));
            return null;
        }
    }

    private WindowSpec window(final String window, final List<Violation> violations) {
        if (window == null || window.isBlank()) {
            return null;
        }
        return WindowSpec.find(windows, window.strip()).orElseGet(() -> {
            violations.add(new Violation("window", "window-not-configured", "window '" + window
                    + "' is not one of the configured windows " + windows.stream().map(WindowSpec::name).toList()));
            return null;
        });
    }

    private static Instant instant(final String field, final String text, final List<Violation> violations) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text.strip());
        } catch (final DateTimeParseException e) {
            violations.add(new Violation(field, "not-an-instant", "'" + text
                    + "' is not an ISO-8601 instant such as 2026-03-02T10:00:00Z"));
            return null;
        }
    }

    private static void throwIfAny(final List<Violation> violations) {
        if (!violations.isEmpty()) {
            throw ProblemException.invalid(violations);
        }
    }
}
