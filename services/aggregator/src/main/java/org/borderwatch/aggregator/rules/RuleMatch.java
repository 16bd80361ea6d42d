package org.borderwatch.aggregator.rules;

import org.borderwatch.avro.AlertRule;
import org.borderwatch.avro.ThreatType;

/**
 * Which aggregates a rule watches. Region patterns: an exact code ({@code TJ-KT}), a prefix ending in {@code *}
 * ({@code TJ-*}: every region of Tajikistan), or {@code *} (every region). Patterns match region aggregates only; a
 * country roll-up is watched by a rule that names the country exactly ({@code TJ}), so a {@code *} rule does not
 * fire twice for one incident (once for the region, once for its country). A null threat type matches every type,
 * each type being its own breach identity.
 */
public final class RuleMatch {

    private static final String WILDCARD = "*";

    private RuleMatch() {
    }

    public static boolean matches(final AlertRule rule, final Level level, final String code,
                                  final ThreatType threatType) {
        if (rule.getThreatType() != null && rule.getThreatType() != threatType) {
            return false;
        }
        final String pattern = rule.getRegion();
        if (level == Level.COUNTRY) {
            return pattern.equals(code);
        }
        if (pattern.endsWith(WILDCARD)) {
            return code.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return pattern.equals(code);
    }
}
