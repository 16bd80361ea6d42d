package org.borderwatch.service.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

/**
 * An RFC 9457 problem details body ({@code application/problem+json}).
 *
 * @param type     a URI naming the kind of problem; {@code about:blank} when the status says it all
 * @param title    a short summary of the type
 * @param status   the HTTP status code
 * @param detail   what went wrong with this request, for a person
 * @param instance the request path
 * @param errors   for invalid input: every broken rule, not just the first
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance,
                      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Violation> errors) {

    public static final String ABOUT_BLANK = "about:blank";
}
