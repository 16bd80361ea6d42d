package org.borderwatch.cli.chaos;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.Map;

import org.borderwatch.bench.pipeline.Api;

/** The alert service's view of one alert, through {@code GET /v1/alerts/{id}}. */
final class Alerts {

    private Alerts() {
    }

    /** The alert's {@code status} (FIRING, RESOLVED), or null while it does not exist or the service is away. */
    static String status(final Api alert, final String key, final String alertId) {
        try {
            final HttpResponse<String> response = alert.get("/v1/alerts/" + alertId.replace("|", "%7C"), key);
            if (response.statusCode() != 200) {
                return null;
            }
            @SuppressWarnings("unchecked")
            final Map<String, Object> current = (Map<String, Object>) Api.map(response.body()).get("alert");
            return current == null ? null : (String) current.get("status");
        } catch (final UncheckedIOException e) {
            return null;
        }
    }
}
