package org.borderwatch.service.security;

import java.util.Collection;
import java.util.regex.Pattern;

/**
 * Region patterns of filters, subscriptions and silences: {@code *}, a country prefix {@code TJ-*}, or one ISO
 * 3166-2 code {@code TJ-KT}: the language of a credential's regions, and of every service's region filters.
 */
public final class RegionPatterns {

    public static final String ALL = "*";
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
            return region.startsWith(pattern.substring(0, pattern.length() - 1));
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
}
