package org.borderwatch.service.problem;

import java.util.List;
import java.util.UUID;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last resort for exceptions no other handler claims: logs the exception with an error id and the request, and
 * answers 500 with that id only, so an operator can find the log line and the client learns nothing internal.
 * Micronaut picks the handler of the closest exception type, so every more specific handler still wins.
 */
@Singleton
public final class UnexpectedErrorHandler implements ExceptionHandler<Exception, HttpResponse<?>> {

    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedErrorHandler.class);

    private final ErrorResponseProcessor<?> processor;

    public UnexpectedErrorHandler(final ErrorResponseProcessor<?> processor) {
        this.processor = processor;
    }

    @Override
    public HttpResponse<?> handle(final HttpRequest request, final Exception exception) {
        final String errorId = UUID.randomUUID().toString();
        LOG.error("Unexpected error {} handling {} {}; answered 500", errorId, request.getMethodName(),
                request.getPath(), exception);
        final ProblemException problem = new ProblemException(HttpStatus.INTERNAL_SERVER_ERROR, Problem.ABOUT_BLANK,
                HttpStatus.INTERNAL_SERVER_ERROR.getReason(), ProblemErrorResponseProcessor.SERVER_ERROR_DETAIL
                + " Error id: " + errorId + ".", List.of(), null);
        return processor.processResponse(ErrorContext.builder(request).cause(problem).build(),
                HttpResponse.status(HttpStatus.INTERNAL_SERVER_ERROR));
    }
}
