package org.borderwatch.ingest;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeIn;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/**
 * borderwatch ingest: border agencies publish incidents and drug seizures over HTTP; each valid report is written
 * to {@code border.incidents.v1} or {@code border.seizures.v1} (key = region) and acknowledged only after Kafka has
 * it.
 */
@OpenAPIDefinition(
        info = @Info(title = "borderwatch-ingest", version = "0.1",
                description = "Publish border incidents and drug seizures, one at a time or as NDJSON batches."),
        security = @SecurityRequirement(name = "apiKey"))
@SecurityScheme(name = "apiKey", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        paramName = "X-API-Key", description = "An API key; 'Authorization: Bearer <key>' works too.")
public final class Application {

    private Application() {
    }

    public static void main(final String[] args) {
        Micronaut.run(Application.class, args);
    }
}
