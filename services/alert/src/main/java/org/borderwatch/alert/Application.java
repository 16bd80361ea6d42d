package org.borderwatch.alert;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeIn;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/**
 * borderwatch alert: turns breaches ({@code border.breaches.v1}) and acknowledgements
 * ({@code border.alert-commands.v1}) into the alert lifecycle log {@code border.alerts.v1} (Kafka Streams,
 * exactly-once), serves it over HTTP and SSE to the principals allowed to see each region, and pushes it to
 * subscribers as signed webhooks (JSON, CloudEvents or CAP 1.2).
 */
@OpenAPIDefinition(
        info = @Info(title = "borderwatch-alert", version = "0.1",
                description = "Alerts for operations centers: query, acknowledge, stream (SSE), subscribe (webhooks),"
                        + " silence, CAP 1.2."),
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
