package org.borderwatch.service.problem;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ErrorResponseProcessorExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/** Answers a {@link ProblemException} with its status, its problem body and, for 503, {@code Retry-After}. */
@Singleton
public final class ProblemExceptionHandler extends ErrorResponseProcessorExceptionHandler<ProblemException> {

    public ProblemExceptionHandler(final ErrorResponseProcessor<?> responseProcessor) {
        super(responseProcessor);
    }

    @Override
    protected MutableHttpResponse<?> createResponse(final ProblemException exception) {
        final MutableHttpResponse<?> response = HttpResponse.status(exception.status());
        if (exception.retryAfter() != null) {
            // Whole seconds, rounded up: a client retrying after 0 s would only hit the same outage.
            final long seconds = Math.max(1, (exception.retryAfter().toMillis() + 999) / 1000);
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        }
        return response;
    }
}
