package org.borderwatch.service.body;

import java.util.Optional;

import io.micronaut.core.bind.exceptions.UnsatisfiedArgumentException;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.core.type.Argument;
import io.micronaut.http.annotation.Body;
import io.micronaut.json.JsonSyntaxException;
import org.borderwatch.service.problem.ProblemException;
import org.borderwatch.service.problem.Violation;

/**
 * Turns Micronaut's own binding errors — a query parameter or header that does not convert, a missing required
 * argument, a body a data binder could not read — into the same 400 problem as {@link JsonBody}'s: the field, the
 * rule, and a sentence a person can act on, never a parser's internal message ("Unexpected token VALUE_STRING,
 * expected START_ARRAY").
 */
public final class BindingErrors {

    private BindingErrors() {
    }

    /** The problem for {@code cause}, if it is a binding error. */
    public static Optional<ProblemException> translate(final Throwable cause) {
        if (cause instanceof ConversionErrorException conversion) {
            return Optional.of(ProblemException.malformed(conversion(conversion)));
        }
        if (cause instanceof UnsatisfiedArgumentException unsatisfied) {
            final Argument<?> argument = unsatisfied.getArgument();
            return Optional.of(ProblemException.malformed(isBody(argument)
                    ? new Violation("", BodyRules.EMPTY_BODY, "The body is missing; send one JSON object")
                    : new Violation(argument.getName(), BodyRules.REQUIRED, argument.getName() + " is required")));
        }
        if (cause instanceof JsonSyntaxException) {
            return Optional.of(ProblemException.malformed(BodyRules.MALFORMED_JSON,
                    "The body is not valid JSON; send one JSON object"));
        }
        return Optional.empty();
    }

    private static Violation conversion(final ConversionErrorException conversion) {
        final Argument<?> argument = conversion.getArgument();
        if (isBody(argument)) {
            return new Violation("", BodyRules.TYPE, "The body does not have the shape this endpoint takes: a value"
                    + " has the wrong JSON type; see the endpoint in the OpenAPI document");
        }
        final String value = conversion.getConversionError().getOriginalValue()
                .map(original -> "; got '" + JsonFields.echo(String.valueOf(original)) + "'").orElse("");
        return new Violation(argument.getName(), BodyRules.TYPE, argument.getName() + " must be "
                + expected(argument.getType()) + value);
    }

    private static boolean isBody(final Argument<?> argument) {
        return argument.getAnnotationMetadata().hasAnnotation(Body.class);
    }

    private static String expected(final Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return "a whole number within its range";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        return "a " + type.getSimpleName();
    }
}
