package org.borderwatch.alert.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.borderwatch.alert.support.CapSchema;
import org.borderwatch.avro.Acknowledgement;
import org.borderwatch.avro.Alert;
import org.borderwatch.avro.AlertChange;
import org.borderwatch.avro.AlertStatus;
import org.borderwatch.avro.Metric;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatType;
import org.borderwatch.service.region.Regions;
import org.junit.jupiter.api.Test;

class CapRendererTest {

    private static final CapRenderer RENDERER = new CapRenderer(Regions.builtIn(), "borderwatch-alert");
    private static final Instant START = Instant.parse("2025-05-01T21:14:05.123Z");

    @Test
    void shouldRenderAValidCapAlertWithMappedFieldsWhenAnAlertFires() {
        final String xml = RENDERER.render(fired(), null);

        CapSchema.validate(xml);
        assertThat(xml).contains("<msgType>Alert</msgType>", "<category>Security</category>",
                "<urgency>Immediate</urgency>", "<severity>Severe</severity>", "<certainty>Observed</certainty>",
                "<sent>2025-05-01T21:15:00+00:00</sent>", "<onset>2025-05-01T21:14:05+00:00</onset>",
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
                        + "2025-05-01T21:15:00+00:00</references>", "&lt;b&gt;Patrol&lt;/b&gt; &amp; drones");
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
