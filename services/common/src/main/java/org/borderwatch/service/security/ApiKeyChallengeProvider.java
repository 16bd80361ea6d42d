package org.borderwatch.service.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.WwwAuthenticateChallengeProvider;
import jakarta.inject.Singleton;

/** Tells a client answered 401 how to authenticate (RFC 9110 requires a challenge on 401). */
@Singleton
final class ApiKeyChallengeProvider implements WwwAuthenticateChallengeProvider<HttpRequest<?>> {

    @Override
    public String getWwwAuthenticateChallenge(final HttpRequest<?> request) {
        return "Bearer realm=\"borderwatch\"";
    }
}
