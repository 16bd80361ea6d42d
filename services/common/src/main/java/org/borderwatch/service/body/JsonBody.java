package org.borderwatch.service.body;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.micronaut.json.tree.JsonNode;
import org.borderwatch.service.problem.ProblemException;
import org.borderwatch.service.problem.Violation;

/**
 * The one way a borderwatch endpoint reads a JSON request body: take it as {@code @Body byte[]}, then read it here.
 * Strict where a data binder is lenient (see {@link StrictJson}), every member not in the endpoint's field list is
 * an {@code unknown-field} violation (so a misspelt setting never vanishes), and the typed getters of
 * {@link JsonFields} name the field and the rule of every mistake. A body that cannot be read at all is answered
 * 400; a readable one that breaks rules, 422 by {@link JsonFields#throwIfInvalid()}.
 */
public final class JsonBody {

    /** RFC 7396 JSON merge patch, the media type of PATCH bodies (plain application/json is accepted too). */
    public static final String MERGE_PATCH = "application/merge-patch+json";

    private JsonBody() {
    }

    /**
     * The fields of the JSON object in {@code body}.
     *
     * @param what  the request, for messages ("a subscription")
     * @param known the field names the endpoint takes
     */
    public static JsonFields object(final byte[] body, final String what, final Set<String> known) {
        final JsonNode node;
        try {
            node = StrictJson.parse(body == null ? new byte[0] : body);
        } catch (final MalformedBodyException e) {
            throw ProblemException.malformed(e.rule(), e.getMessage());
        }
        return fields(node, what, known);
    }

    /** As {@link #object}, but an empty body (or none) reads as {@code {}}: for endpoints whose fields are all optional. */
    public static JsonFields optionalObject(final byte[] body, final String what, final Set<String> known) {
        if (body == null || isBlank(body)) {
            return fields(JsonNode.createObjectNode(Map.of()), what, known);
        }
        return object(body, what, known);
    }

    private static JsonFields fields(final JsonNode node, final String what, final Set<String> known) {
        if (!node.isObject()) {
            throw ProblemException.invalid(List.of(new Violation("", BodyRules.TYPE, "the body must be a JSON object"
                    + " ({...}) describing " + what)));
        }
        final JsonFields fields = new JsonFields(node, "", new ArrayList<>());
        fields.refuseUnknown(known, what);
        return fields;
    }

    private static boolean isBlank(final byte[] body) {
        for (final byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }
}
