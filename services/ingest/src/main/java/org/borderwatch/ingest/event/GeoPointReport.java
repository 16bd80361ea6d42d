package org.borderwatch.ingest.event;

import io.swagger.v3.oas.annotations.media.Schema;

/** OpenAPI documentation of {@code location}; see {@link IncidentReport}. */
@Schema(name = "Location", description = "WGS 84 coordinate in decimal degrees")
public record GeoPointReport(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "-90", maximum = "90") double latitude,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "-180", maximum = "180") double longitude) {
}
