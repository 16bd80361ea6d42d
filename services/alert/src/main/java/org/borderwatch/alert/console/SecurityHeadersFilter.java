package org.borderwatch.alert.console;

import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Puts the console's Content-Security-Policy and the usual hardening headers on every response of the service (the
 * shell, its scripts and styles, WebJars, and the API the console calls). The policy allows no inline script or
 * style, nothing from another origin, no framing and no plugins: the console is plain files from this service.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class SecurityHeadersFilter {

    /** {@code img-src data:}: ECharts exports and the map's legend gradient are data URLs. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none';"
            + " form-action 'self'; frame-ancestors 'none'; object-src 'none'";

    @ResponseFilter
    public void addHeaders(final MutableHttpResponse<?> response) {
        response.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.header("X-Content-Type-Options", "nosniff");
        response.header("Referrer-Policy", "no-referrer");
        response.header("X-Frame-Options", "DENY");
        response.header("Cross-Origin-Opener-Policy", "same-origin");
        response.header("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    }
}
