package org.borderwatch.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.borderwatch.avro.AlertRule;
import org.borderwatch.avro.EscalationTier;
import org.borderwatch.avro.LateEvent;
import org.borderwatch.avro.Metric;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatType;
import org.junit.jupiter.api.Test;

class AvroMapsTest {

    @Test
    void shouldRenderRecordsInTheShapeTheHttpApiAccepts() {
        final AlertRule rule = AlertRule.newBuilder().setRuleId("r1").setName("Khatlon incursions")
                .setRegion("TJ-*").setThreatType(null).setWindow("PT1H").setMetric(Metric.EVENT_COUNT)
                .setThreshold(5).setResolveThreshold(2).setSeverity(Severity.HIGH)
                .setEscalations(List.of(new EscalationTier(10.0, Severity.CRITICAL))).build();

        final Map<String, Object> map = AvroMaps.toMap(rule);

        assertThat(map.keySet()).containsExactly("ruleId", "name", "region", "threatType", "window", "metric",
                "threshold", "resolveThreshold", "severity", "escalations", "enabled");
        assertThat(map).containsEntry("region", "TJ-*").containsEntry("threatType", null)
                .containsEntry("window", "PT1H").containsEntry("metric", "EVENT_COUNT")
                .containsEntry("threshold", 5.0).containsEntry("resolveThreshold", 2.0)
                .containsEntry("severity", "HIGH").containsEntry("enabled", true)
                .containsEntry("escalations", List.of(Map.of("threshold", 10.0, "severity", "CRITICAL")));
    }

    @Test
    void shouldRenderInstantsUuidsAndBytesAsStrings() {
        final UUID id = UUID.randomUUID();
        final LateEvent late = LateEvent.newBuilder().setSourceTopic("border.incidents.v1").setEventId(id)
                .setRegion("AF-BDS").setThreatType(ThreatType.ILLEGAL_CROSSING)
                .setOccurredAt(Instant.parse("2026-11-01T00:00:00Z"))
                .setObservedStreamTime(Instant.parse("2026-11-02T00:00:00Z")).setReason("past grace")
                .setPayload(ByteBuffer.wrap(new byte[] {1, 2, 3})).build();

        final Map<String, Object> map = AvroMaps.toMap(late);

        assertThat(map).containsEntry("eventId", id.toString())
                .containsEntry("occurredAt", "2026-11-01T00:00:00Z")
                .containsEntry("threatType", "ILLEGAL_CROSSING")
                .containsEntry("payload", "AQID");
    }
}
