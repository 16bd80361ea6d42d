package org.borderwatch.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class BorderwatchPrincipalTest {

    @Test
    void shouldMatchARegionWhenItsCodeAPrefixOrTheWildcardCoversIt() {
        final BorderwatchPrincipal principal =
                new BorderwatchPrincipal("ops", Role.OPS_CENTER, null, List.of("TJ-*", "UZ-SU"));
        assertThat(principal.mayAccessRegion("TJ-KT")).isTrue();
        assertThat(principal.mayAccessRegion("UZ-SU")).isTrue();
        assertThat(principal.mayAccessRegion("UZ-SA")).isFalse();
        assertThat(principal.mayAccessRegion("KG-B")).isFalse();
        assertThat(new BorderwatchPrincipal("all", Role.ANALYST, null, List.of("*")).mayAccessRegion("AF-BDS"))
                .isTrue();
    }

    @Test
    void shouldCoverTheCountryRollUpCodeWhenThePatternIsTheCountryPrefix() {
        final BorderwatchPrincipal tajik = new BorderwatchPrincipal("ops", Role.OPS_CENTER, null, List.of("TJ-*"));
        final BorderwatchPrincipal khatlon = new BorderwatchPrincipal("ops", Role.OPS_CENTER, null, List.of("TJ-KT"));

        assertThat(tajik.mayAccessRegion("TJ")).isTrue();
        assertThat(tajik.mayAccessRegion("UZ")).isFalse();
        assertThat(tajik.mayAccessRegion("T")).isFalse();
        assertThat(khatlon.mayAccessRegion("TJ")).isFalse();
    }

    @Test
    void shouldNameRegionAndRuleWhenAPrincipalWritesOutsideItsRegions() {
        final BorderwatchPrincipal agency =
                new BorderwatchPrincipal("tj", Role.AGENCY, "TJ-BORDER-GUARD", List.of("TJ-*", "KG-B"));

        assertThat(agency.regionViolation("region", "TJ-KT")).isEmpty();
        assertThat(agency.regionViolation("region", "KG-B")).isEmpty();
        assertThat(agency.regionViolation("region", null)).isEmpty();
        assertThat(agency.regionViolation("region", "UZ-SU")).hasValueSatisfying(violation -> {
            assertThat(violation.field()).isEqualTo("region");
            assertThat(violation.rule()).isEqualTo("outside-credential-regions");
            assertThat(violation.message()).isEqualTo(
                    "credential 'tj' publishes only for its regions [TJ-*, KG-B], not for 'UZ-SU'");
        });
    }

    @Test
    void shouldActForAnotherAgencyOnlyWhenAdmin() {
        final BorderwatchPrincipal agency =
                new BorderwatchPrincipal("tj", Role.AGENCY, "TJ-BORDER-GUARD", List.of("TJ-*"));
        assertThat(agency.actsFor("TJ-BORDER-GUARD")).isTrue();
        assertThat(agency.actsFor("UZ-CUSTOMS")).isFalse();
        assertThat(new BorderwatchPrincipal("root", Role.ADMIN, null, List.of("*")).actsFor("UZ-CUSTOMS")).isTrue();
        assertThat(new BorderwatchPrincipal("ops", Role.OPS_CENTER, null, List.of("*")).actsFor("UZ-CUSTOMS"))
                .isFalse();
    }

    @Test
    void shouldKeepEveryAttributeWhenCarriedByAMicronautAuthentication() {
        final BorderwatchPrincipal principal =
                new BorderwatchPrincipal("tj", Role.AGENCY, "TJ-BORDER-GUARD", List.of("TJ-*", "KG-B"));
        assertThat(principal.toAuthentication().getRoles()).containsExactly("agency");
        assertThat(BorderwatchPrincipal.of(principal.toAuthentication())).isEqualTo(principal);
    }
}
