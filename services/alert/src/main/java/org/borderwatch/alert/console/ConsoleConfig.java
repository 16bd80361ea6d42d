package org.borderwatch.alert.console;

import java.net.URI;
import java.time.Duration;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The operations console ({@code borderwatch.alert.console.*}); the README lists each key with its default.
 *
 * @param sessionTtl       how long a session lives after sign-in (absolute; one shift by default). At most 7 days,
 *                         the retention of {@code border.console-sessions.v1}
 * @param secureCookie     send the session cookie with {@code Secure} also when the request arrived over plain HTTP
 *                         (behind a TLS-terminating proxy); a request over TLS always gets it
 * @param aggregatorUrl    the aggregator's query API, which the console's region and map views are proxied to
 * @param aggregatorApiKey the alert service's own credential for that API (an analyst or ops-center key whose
 *                         regions are {@code *}); without it the aggregate views answer 503 and say so
 * @param aggregatorTimeout how long one proxied request may take
 */
@ConfigurationProperties("borderwatch.alert.console")
public record ConsoleConfig(
        @Bindable(defaultValue = "12h") Duration sessionTtl,
        @Bindable(defaultValue = "false") boolean secureCookie,
        @Bindable(defaultValue = "http://127.0.0.1:8082") URI aggregatorUrl,
        @Nullable String aggregatorApiKey,
        @Bindable(defaultValue = "5s") Duration aggregatorTimeout) {

    static final Duration MAX_SESSION_TTL = Duration.ofDays(7);

    public ConsoleConfig {
        if (sessionTtl.isNegative() || sessionTtl.isZero() || sessionTtl.compareTo(MAX_SESSION_TTL) > 0) {
            throw new IllegalArgumentException("borderwatch.alert.console.session-ttl is " + sessionTtl
                    + "; it must be positive and at most " + MAX_SESSION_TTL
                    + " (the retention of the sessions topic)");
        }
    }

    @Override
    public String toString() {
        // The record's default would print the credential.
        return "ConsoleConfig[sessionTtl=" + sessionTtl + ", secureCookie=" + secureCookie + ", aggregatorUrl="
                + aggregatorUrl + ", aggregatorApiKey=" + (aggregatorApiKey == null ? "none" : "set")
                + ", aggregatorTimeout=" + aggregatorTimeout + "]";
    }
}
