package org.borderwatch.ingest.event;

import java.time.Instant;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;
import org.borderwatch.avro.Confidence;
import org.borderwatch.avro.DrugType;
import org.borderwatch.avro.Severity;

/**
 * The JSON body of {@code POST /v1/seizures}, as OpenAPI documents it; like {@link IncidentReport}, never bound,
 * its component names are the list of accepted fields.
 */
@Schema(name = "Seizure", description = "A drug seizure. Field names and types follow the Avro schema DrugSeizure.")
public record SeizureReport(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Agency-chosen UUID; the idempotency key")
        UUID eventId,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 200) String agencyId,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "When it happened (ISO-8601 instant)")
        Instant occurredAt,
        @Schema(description = "When it was reported; the server's time if absent") Instant reportedAt,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "TJ-GB",
                description = "ISO 3166-2 first-level subdivision code") String region,
        @Schema(maxLength = 200) String borderSection,
        GeoPointReport location,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Severity severity,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Confidence confidence,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) DrugType drugType,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, exclusiveMinimum = true, minimum = "0",
                maximum = "10000", description = "Bulk weight in kg; litres count as kg") Double quantityKg,
        @Schema(description = "ISO 3166-1 alpha-2", example = "AF") String departureCountry,
        @Schema(description = "ISO 3166-1 alpha-2", example = "RU") String destinationCountry,
        @Schema(maxLength = 200) String concealment,
        @Schema(minimum = "0", maximum = "10000", defaultValue = "0") Integer arrests) {
}
