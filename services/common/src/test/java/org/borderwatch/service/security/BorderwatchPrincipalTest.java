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
