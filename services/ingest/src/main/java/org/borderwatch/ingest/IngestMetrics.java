package org.borderwatch.ingest;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import org.borderwatch.ingest.event.EventType;
import org.borderwatch.service.problem.Violation;
import org.borderwatch.service.security.RegionPatterns;

/**
 * {@code borderwatch_ingest_accepted_total{type}} counts events Kafka acknowledged;
 * {@code borderwatch_ingest_rejected_total{reason}} counts events (single or batch lines) that were not.
 * All series exist from the start, so a dashboard shows 0 rather than nothing.
 */
@Singleton
public final class IngestMetrics {

    /** Why an event was not accepted; the {@code reason} label. */
    public enum Reason {
        VALIDATION("validation"),
        MALFORMED_JSON("malformed-json"),
        AGENCY_MISMATCH("agency-mismatch"),
        OUTSIDE_CREDENTIAL_REGIONS("outside-credential-regions"),
        TOO_LARGE("too-large"),
        KAFKA_UNAVAILABLE("kafka-unavailable");

        private final String label;

        Reason(final String label) {
            this.label = label;
        }

        /** The reason of a refusal: its first violation's rule (agency before region). */
        public static Reason of(final List<Violation> forbidden) {
            return RegionPatterns.OUTSIDE_CREDENTIAL_REGIONS.equals(forbidden.get(0).rule())
                    ? OUTSIDE_CREDENTIAL_REGIONS : AGENCY_MISMATCH;
        }
    }

    private final Map<EventType, Counter> accepted = new EnumMap<>(EventType.class);
    private final Map<Reason, Counter> rejected = new EnumMap<>(Reason.class);

    public IngestMetrics(final MeterRegistry registry) {
        for (final EventType type : EventType.values()) {
            accepted.put(type, Counter.builder("borderwatch.ingest.accepted")
                    .description("Events Kafka acknowledged").tag("type", type.id()).register(registry));
        }
        for (final Reason reason : Reason.values()) {
            rejected.put(reason, Counter.builder("borderwatch.ingest.rejected")
                    .description("Events not accepted, by reason").tag("reason", reason.label).register(registry));
        }
    }

    public void accepted(final EventType type) {
        accepted.get(type).increment();
    }

    public void rejected(final Reason reason) {
        rejected.get(reason).increment();
    }

    public void rejected(final Reason reason, final int events) {
        rejected.get(reason).increment(events);
    }
}
