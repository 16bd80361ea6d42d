package org.borderwatch.service.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

import org.borderwatch.service.body.JsonFields;
import org.borderwatch.service.problem.Violation;

/**
 * Region patterns of filters, subscriptions and silences: {@code *}, a country prefix {@code TJ-*}, or one ISO
 * 3166-2 code {@code TJ-KT}: the language of a credential's regions, and of every service's region filters.
 * A country prefix stands for the whole country: its subdivisions ({@code TJ-KT}) and the aggregator's country
 * roll-up code ({@code TJ}), which sums only those subdivisions.
 */
public final class RegionPatterns {

    public static final String ALL = "*";
    /** A region or region pattern outside the regions of the credential that sent it. */
    public static final String OUTSIDE_CREDENTIAL_REGIONS = "outside-credential-regions";
    private static final Pattern VALID = Pattern.compile("\\*|[A-Z]{2}-(\\*|[A-Z0-9]{1,3})");

    private RegionPatterns() {
    }

    public static boolean isValid(final String pattern) {
        return pattern != null && VALID.matcher(pattern).matches();
    }

    public static boolean matches(final String pattern, final String region) {
        if (ALL.equals(pattern)) {
            return true;
        }
        if (pattern.endsWith("*")) {
            final String prefix = pattern.substring(0, pattern.length() - 1);
            // "TJ-*" also matches the country roll-up "TJ": it is made of TJ-* regions only.
            return region.startsWith(prefix) || region.equals(prefix.substring(0, prefix.length() - 1));
        }
        return pattern.equals(region);
    }

    public static boolean matchesAny(final Collection<String> patterns, final String region) {
        return patterns.stream().anyMatch(pattern -> matches(pattern, region));
    }

    /** Whether every region {@code pattern} matches is matched by one of {@code allowed}. */
    public static boolean covers(final Collection<String> allowed, final String pattern) {
        return allowed.stream().anyMatch(a -> ALL.equals(a) || a.equals(pattern)
                || a.endsWith("*") && !ALL.equals(pattern) && pattern.startsWith(a.substring(0, a.length() - 1)));
    }

    /**
     * A violation for every pattern of a request's list {@code field} that is not a region pattern
     * ({@code region-pattern}) or reaches outside {@code allowed} ({@code outside-credential-regions}).
     */
    public static List<Violation> check(final String field, final List<String> patterns,
                                        final Collection<String> allowed) {
        final List<Violation> violations = new ArrayList<>();
        for (int i = 0; i < patterns.size(); i++) {
            final String pattern = patterns.get(i);
            if (!isValid(pattern)) {
                violations.add(new Violation(field + "[" + i + "]", "region-pattern", "'" + JsonFields.echo(pattern)
                        + "' is not an ISO 3166-2 code (TJ-KT), a country prefix (TJ-*) or *"));
            } else if (!covers(allowed, pattern)) {
                violations.add(new Violation(field + "[" + i + "]", OUTSIDE_CREDENTIAL_REGIONS, "'" + pattern
                        + "' is not within this credential's regions " + allowed));
            }
        }
        return violations;
    }
}
