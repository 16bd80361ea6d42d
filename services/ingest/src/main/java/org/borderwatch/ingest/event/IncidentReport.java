package org.borderwatch.ingest.event;

import java.time.Instant;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;
import org.borderwatch.avro.Confidence;
import org.borderwatch.avro.DetectionMethod;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatType;

/**
 * The JSON body of {@code POST /v1/incidents}, as OpenAPI documents it. Requests are not bound to this record:
 * {@link EventReader} checks the raw JSON against these field names so that it can report every broken rule at
 * once; its component names are the list of accepted fields.
 */
@Schema(name = "Incident", description = "A border incident. Field names and types follow the Avro schema BorderIncident.")
public record IncidentReport(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Agency-chosen UUID; the idempotency key")
        UUID eventId,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 200) String agencyId,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "When it happened (ISO-8601 instant)")
        Instant occurredAt,
        @Schema(description = "When it was reported; the server's time if absent") Instant reportedAt,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "TJ-KT",
                description = "ISO 3166-2 first-level subdivision code") String region,
        @Schema(maxLength = 200) String borderSection,
        GeoPointReport location,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Severity severity,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Confidence confidence,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
                description = "DRUG_TRAFFICKING is refused here: report seizures to /v1/seizures") ThreatType threatType,
        @Schema(minimum = "0", maximum = "10000", defaultValue = "0") Integer personsInvolved,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) DetectionMethod detectedBy,
        @Schema(maxLength = 4000) String description) {
}
