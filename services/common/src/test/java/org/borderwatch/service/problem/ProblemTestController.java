package org.borderwatch.service.problem;

import java.time.Duration;
import java.util.List;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import org.borderwatch.service.security.BorderwatchPrincipal;
import org.borderwatch.service.security.Role;

/** Endpoints that fail in every way the problem rendering and authentication must handle. */
@Controller("/test")
@Secured(SecurityRule.IS_ANONYMOUS)
class ProblemTestController {

    @Serdeable
    record Echo(String text) {
    }

    @Post(uri = "/json", consumes = MediaType.APPLICATION_JSON)
    Echo json(@Body final Echo echo) {
        return echo;
    }

    @Get("/ids/{id}")
    String id(@PathVariable final String id) {
        return id;
    }

    @Get("/count")
    String count(@QueryValue final int n) {
        return Integer.toString(n);
    }

    @Get("/invalid")
    String invalid() {
        throw ProblemException.invalid(List.of(new Violation("region", "unknown-region", "XX-YY is not known"),
                new Violation("severity", "enum", "must be one of LOW, MEDIUM, HIGH, CRITICAL")));
    }

    @Get("/unavailable")
    String unavailable() {
        throw ProblemException.unavailable("Kafka did not acknowledge in time", Duration.ofMillis(4500));
    }

    @Get("/boom")
    String boom() {
        throw new IllegalStateException("secret-internal-detail at db.internal:5432");
    }

    @Get("/agency")
    @Secured(Role.Names.AGENCY)
    String agency(final Authentication authentication) {
        return BorderwatchPrincipal.of(authentication).agencyId();
    }
}
