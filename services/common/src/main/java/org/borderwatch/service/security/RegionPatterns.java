package org.borderwatch.service.security;

import java.util.regex.Pattern;

/** The region patterns a credential may carry: {@code *}, a country prefix {@code TJ-*}, or one code {@code TJ-KT}. */
final class RegionPatterns {

    static final String ALL = "*";
    private static final Pattern VALID = Pattern.compile("\\*|[A-Z]{2}-(\\*|[A-Z0-9]{1,3})");

    private RegionPatterns() {
    }

    static boolean isValid(final String pattern) {
        return VALID.matcher(pattern).matches();
    }

    static boolean matches(final String pattern, final String regionCode) {
        if (ALL.equals(pattern)) {
            return true;
        }
        if (pattern.endsWith("*")) {
            return regionCode.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return pattern.equals(regionCode);
    }
}
