package org.borderwatch.aggregator.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.borderwatch.aggregator.Reports.rule;
import static org.borderwatch.avro.ThreatType.ARMED_INCURSION;
import static org.borderwatch.avro.ThreatType.ILLEGAL_CROSSING;

import org.borderwatch.avro.AlertRule;
import org.borderwatch.avro.Metric;
import org.borderwatch.avro.ThreatType;
import org.junit.jupiter.api.Test;

class RuleMatchTest {

    @Test
    void shouldMatchRegionsByExactCodePrefixOrWildcardWhenLevelIsRegion() {
        assertThat(matches("TJ-KT", Level.REGION, "TJ-KT")).isTrue();
        assertThat(matches("TJ-KT", Level.REGION, "TJ-GB")).isFalse();
        assertThat(matches("TJ-*", Level.REGION, "TJ-GB")).isTrue();
        assertThat(matches("TJ-*", Level.REGION, "UZ-SU")).isFalse();
        assertThat(matches("*", Level.REGION, "AF-BDS")).isTrue();
        assertThat(matches("TJ", Level.REGION, "TJ-KT")).isFalse();
    }

    @Test
    void shouldMatchCountryOnlyByItsExactCodeWhenLevelIsCountry() {
        assertThat(matches("TJ", Level.COUNTRY, "TJ")).isTrue();
        assertThat(matches("*", Level.COUNTRY, "TJ")).isFalse();
        assertThat(matches("TJ-*", Level.COUNTRY, "TJ")).isFalse();
    }

    @Test
    void shouldMatchEveryThreatTypeWhenRuleHasNone() {
        final AlertRule any = rule("r", "TJ-KT", null, "PT1H", Metric.EVENT_COUNT, 1, 1).build();
        final AlertRule crossings = rule("r", "TJ-KT", ILLEGAL_CROSSING, "PT1H", Metric.EVENT_COUNT, 1, 1).build();

        assertThat(RuleMatch.matches(any, Level.REGION, "TJ-KT", ARMED_INCURSION)).isTrue();
        assertThat(RuleMatch.matches(crossings, Level.REGION, "TJ-KT", ARMED_INCURSION)).isFalse();
    }

    private static boolean matches(final String pattern, final Level level, final String code) {
        return RuleMatch.matches(rule("r", pattern, null, "PT1H", Metric.EVENT_COUNT, 1, 1).build(), level, code,
                ThreatType.OTHER);
    }
}
