package org.borderwatch.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class ScenarioTest {

    private static final String MINIMAL = """
            name: t
            rate: 2/min
            confidence: {CONFIRMED: 1}
            agencies:
              - agencyId: TJ-BORDER-GUARD
                principal: tj-border-guard
                regions: [{code: TJ-KT, latitude: 37, longitude: 68, incidents: 1, seizures: 1}]
            incidents:
              share: 0.5
              detectedBy: {PATROL: 1}
              threatTypes: {ILLEGAL_CROSSING: {weight: 1, severity: {LOW: 1}, persons: {median: 2, max: 5, spread: 0}}}
            seizures:
              drugs: {HEROIN: {weight: 1, quantityKg: {median: 1, max: 2, spread: 0}, departure: AF}}
              concealment: {car: 1}
              destinations: {RU: 1}
            """;

    @Test
    void shouldReadTheShippedScenariosWhenParsingThem() {
        assertThat(Scenario.builtIn().surges()).hasSize(3);
        assertThat(Scenario.read(Path.of("../examples/khatlon-night.yml")).surges()).hasSize(2);
        assertThat(Scenario.parse(MINIMAL.getBytes(StandardCharsets.UTF_8), "t").agencies()).hasSize(1);
    }

    @Test
    void shouldNameTheFieldAndTheRuleWhenAScenarioIsWrong() {
        assertRefused(MINIMAL.replace("regions: [{code: TJ-KT", "regions: [{code: UZ-SU, latitude: 37, longitude: 67,"
                + " incidents: 1, seizures: 1}, {code: TJ-KT"), "agencies[0].regions[1].code: TJ-KT is outside UZ");
        assertRefused(MINIMAL.replace("latitude: 37, ", ""), "agencies[0].regions[0].latitude: is required");
        assertRefused(MINIMAL.replace("ILLEGAL_CROSSING", "DRUG_TRAFFICKING"), "incidents.threatTypes.DRUG_TRAFFICKING");
        assertRefused(MINIMAL.replace("rate: 2/min", "rate: fast"), "rate 'fast' is not a number");
        assertRefused(MINIMAL.replace("name: t", "name: t\nspeed: 3"), "Unrecognized field \"speed\"");
        assertRefused(MINIMAL + """
                surges:
                  - {name: s, agencyId: TJ-BORDER-GUARD, regions: [TJ-GB], start: PT0S, duration: PT1M, count: 2,
                     incident: {threatType: ARMED_INCURSION, severity: {HIGH: 1}, detectedBy: {PATROL: 1},
                                persons: {median: 1, max: 1, spread: 0}}}
                """, "surges[0].regions: TJ-GB is not a region of agency TJ-BORDER-GUARD");
    }

    private static void assertRefused(final String yaml, final String message) {
        assertThatThrownBy(() -> Scenario.parse(yaml.getBytes(StandardCharsets.UTF_8), "t"))
                .isInstanceOf(Scenario.InvalidScenarioException.class).hasMessageContaining(message);
    }
}
