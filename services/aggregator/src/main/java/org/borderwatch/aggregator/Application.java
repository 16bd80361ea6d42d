package org.borderwatch.aggregator;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeIn;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/**
 * borderwatch aggregator: runs the {@link AggregatorTopology} (Kafka Streams, exactly-once) and serves its state
 * over HTTP: interactive queries of the aggregates, the rules API and rule backtests.
 */
@OpenAPIDefinition(
        info = @Info(title = "borderwatch-aggregator", version = "0.1",
                description = "Live aggregates by region and threat type, alert rules, backtests."),
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
