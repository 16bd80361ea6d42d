package org.borderwatch.alert.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.borderwatch.alert.support.CapRules;
import org.borderwatch.alert.support.CapSchema;
import org.borderwatch.avro.Acknowledgement;
import org.borderwatch.avro.Alert;
import org.borderwatch.avro.AlertChange;
import org.borderwatch.avro.AlertChangeKind;
import org.borderwatch.avro.AlertStatus;
import org.borderwatch.avro.Metric;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatType;
import org.borderwatch.service.region.Regions;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

class CapRendererTest {

    private static final CapRenderer RENDERER = new CapRenderer(Regions.builtIn(), "borderwatch-alert");
    private static final Instant START = Instant.parse("2025-05-01T21:14:05.123Z");

    @Test
    void shouldRenderAValidCapAlertWithMappedFieldsWhenAnAlertFires() {
        final String xml = RENDERER.render(fired(), null);

        CapSchema.validate(xml);
        assertThat(xml).contains("<msgType>Alert</msgType>", "<category>Security</category>",
                "<urgency>Immediate</urgency>", "<severity>Severe</severity>", "<certainty>Observed</certainty>",
                "<sent>2025-05-01T21:15:00-00:00</sent>", "<onset>2025-05-01T21:14:05-00:00</onset>",
                "<areaDesc>Khatlon (TJ-KT)</areaDesc>", "<circle>37.8364,68.7803 0</circle>",
                "<valueName>ISO 3166-2</valueName><value>TJ-KT</value>",
                "<identifier>urn:borderwatch:alert:r1|TJ-KT|ARMED_INCURSION:v1</identifier>")
                .doesNotContain("<references>");
    }

    @Test
    void shouldRenderAValidUpdateReferencingThePreviousMessageWhenAcknowledgedWithMarkup() {
        final Alert acknowledged = Alert.newBuilder(fired()).setChange(AlertChange.ACKNOWLEDGED).setVersion(2)
                .setUpdatedAt(START.plusSeconds(120))
                .setAcknowledgement(new Acknowledgement("ops-tj", START.plusSeconds(120), "<b>Patrol</b> & drones"))
                .build();

        final String xml = RENDERER.render(acknowledged, fired());

        CapSchema.validate(xml);
        assertThat(xml).contains("<msgType>Update</msgType>",
                "<references>borderwatch-alert,urn:borderwatch:alert:r1|TJ-KT|ARMED_INCURSION:v1,"
                        + "2025-05-01T21:15:00-00:00</references>", "&lt;b&gt;Patrol&lt;/b&gt; &amp; drones");
    }

    @Test
    void shouldRenderAValidTestMessageWhenATestDeliveryIsInCap() {
        final String xml = RENDERER.test("sub_1", "test_abc", START);

        CapSchema.validate(xml);
        assertThat(CapRules.violations(xml)).as(xml).isEmpty();
        assertThat(xml).contains("<status>Test</status>", "<identifier>urn:borderwatch:test:test_abc</identifier>",
                "<sent>2025-05-01T21:14:05-00:00</sent>");
    }

    @Test
    void shouldUpdateTheThreadWhenARenotificationRestatesTheFiring() {
        final Alert renotified = Alert.newBuilder(fired()).setKind(AlertChangeKind.RENOTIFICATION)
                .setRenotified(List.of("sub_1")).setVersion(2).setUpdatedAt(START.plusSeconds(600)).build();

        final String xml = RENDERER.render(renotified, fired());

        CapSchema.validate(xml);
        assertThat(xml).contains("<msgType>Update</msgType>", "<references>", "sent again");
    }

    @Test
    void shouldRenderAValidAllClearWithPastUrgencyWhenResolved() {
        final Alert resolved = Alert.newBuilder(fired()).setChange(AlertChange.RESOLVED)
                .setStatus(AlertStatus.RESOLVED).setSeverity(Severity.CRITICAL).setVersion(3)
                .setUpdatedAt(START.plusSeconds(3600)).setEndsAt(START.plusSeconds(3600)).build();

        final String xml = RENDERER.render(resolved, fired());

        CapSchema.validate(xml);
        assertThat(xml).contains("<responseType>AllClear</responseType>", "<urgency>Past</urgency>",
                "<severity>Extreme</severity>", "<headline>Resolved: ");
    }

    @Test
    void shouldOmitTheCircleButKeepTheGeocodeWhenTheRegionIsUnknown() {
        final String xml = RENDERER.render(Alert.newBuilder(fired()).setRegion("XX-ZZ").build(), null);

        CapSchema.validate(xml);
        assertThat(xml).doesNotContain("<circle>").contains("<value>XX-ZZ</value>");
    }

    @Test
    void shouldRejectAnInvalidMessageWhenTheSchemaIsApplied() {
        // The check itself works: a CAP message without its required <info> children fails.
        assertThatThrownBy(() -> CapSchema.validate(RENDERER.render(fired(), null)
                .replace("<certainty>Observed</certainty>", ""))).isInstanceOf(AssertionError.class);
    }

    @Test
    void shouldKeepEveryCapRuleTheSchemaCannotCheckWhenAnAlertGoesThroughItsWholeLife() {
        // Given one episode with every kind of change, each rendered with the change before it
        final Alert fired = fired();
        final Alert escalated = Alert.newBuilder(fired).setChange(AlertChange.ESCALATED).setSeverity(Severity.CRITICAL)
                .setEscalationLevel(1).setVersion(2).setUpdatedAt(START.plusSeconds(300)).build();
        final Alert acknowledged = Alert.newBuilder(escalated).setChange(AlertChange.ACKNOWLEDGED).setVersion(3)
                .setUpdatedAt(START.plusSeconds(400))
                .setAcknowledgement(new Acknowledgement("ops-tj", START.plusSeconds(400), null)).build();
        final Alert silenced = Alert.newBuilder(acknowledged).setChange(AlertChange.SILENCED).setVersion(4)
                .setUpdatedAt(START.plusSeconds(500)).build();
        final Alert resolved = Alert.newBuilder(silenced).setChange(AlertChange.RESOLVED)
                .setStatus(AlertStatus.RESOLVED).setVersion(5).setUpdatedAt(START.plusSeconds(3600))
                .setEndsAt(START.plusSeconds(3600)).build();
        final List<Alert> life = List.of(fired, escalated, acknowledged, silenced, resolved);

        for (int i = 0; i < life.size(); i++) {
            final Alert previous = i == 0 ? null : life.get(i - 1);
            final String xml = RENDERER.render(life.get(i), previous);

            // Then the schema holds, and so does every rule beyond it
            CapSchema.validate(xml);
            assertThat(CapRules.violations(xml)).as(xml).isEmpty();
            assertThat(CapRules.text(CapRules.root(xml), "sent")).endsWith("-00:00");
            if (previous != null) {
                // and an Update names exactly the message it updates: its sender, identifier and sent
                final Element before = CapRules.root(RENDERER.render(previous, i == 1 ? null : life.get(i - 2)));
                assertThat(CapRules.text(CapRules.root(xml), "references")).isEqualTo(String.join(",",
                        CapRules.text(before, "sender"), CapRules.text(before, "identifier"),
                        CapRules.text(before, "sent")));
            }
        }
    }

    @Test
    void shouldFindEachBrokenRuleWhenAMessageBreaksTheRulesTheSchemaCannotCheck() {
        // The checker itself can fail: each of these passes the schema but breaks CAP 1.2.
        final String valid = RENDERER.render(Alert.newBuilder(fired()).setChange(AlertChange.ESCALATED)
                .setVersion(2).setUpdatedAt(START.plusSeconds(300)).build(), fired());
        final String sent = CapRules.text(CapRules.root(valid), "sent");
        final String references = CapRules.text(CapRules.root(valid), "references");

        assertThat(CapRules.violations(valid.replace("<sent>" + sent, "<sent>" + sent.replace("-00:00", "+00:00"))))
                .singleElement().asString().contains("UTC must be written -00:00");
        assertThat(CapRules.violations(valid.replace("<sent>" + sent, "<sent>" + sent.replace("-00:00", "Z"))))
                .singleElement().asString().contains("is not a CAP time");
        assertThat(CapRules.violations(valid.replace(references, references.replace(",", ";"))))
                .singleElement().asString().contains("is not sender,identifier,sent");
        assertThat(CapRules.violations(valid.replace("<references>" + references + "</references>", "")))
                .singleElement().asString().contains("needs <references>");
        assertThat(CapRules.violations(valid.replaceAll("<info>.*</info>", "")))
                .singleElement().asString().contains("carries no <info>");
    }

    private static Alert fired() {
        return Alert.newBuilder()
                .setAlertId("r1|TJ-KT|ARMED_INCURSION")
                .setRuleId("r1")
                .setRegion("TJ-KT")
                .setThreatType(ThreatType.ARMED_INCURSION)
                .setStatus(AlertStatus.FIRING)
                .setChange(AlertChange.FIRED)
                .setSeverity(Severity.HIGH)
                .setMetric(Metric.EVENT_COUNT)
                .setObservedValue(12)
                .setThreshold(10)
                .setWindow("PT1H")
                .setStartsAt(START)
                .setUpdatedAt(Instant.parse("2025-05-01T21:15:00Z"))
                .setVersion(1)
                .build();
    }
}
