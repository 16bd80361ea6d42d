package org.borderwatch.ingest.event;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The two kinds of report an agency publishes, with the JSON fields each accepts. */
public enum EventType {
    INCIDENT("incident", IncidentReport.class),
    SEIZURE("seizure", SeizureReport.class);

    private static final EventType[] VALUES = values();

    /** The member of a batch line that says which kind of report the line is. */
    public static final String TYPE_FIELD = "type";

    private final String id;
    private final Set<String> fields;
    private final Set<String> batchFields;

    EventType(final String id, final Class<? extends Record> documentedBody) {
        this.id = id;
        // The documented body is the one list of field names; the reader refuses every other name.
        this.fields = Arrays.stream(documentedBody.getRecordComponents()).map(RecordComponent::getName)
                .collect(Collectors.toUnmodifiableSet());
        this.batchFields = Stream.concat(fields.stream(), Stream.of(TYPE_FIELD))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The name in a batch line's {@code type} and in the {@code type} label of the metrics. */
    public String id() {
        return id;
    }

    public Set<String> fields() {
        return fields;
    }

    /** The fields of a batch line of this type: its own and {@link #TYPE_FIELD}. */
    public Set<String> batchFields() {
        return batchFields;
    }

    public static Optional<EventType> fromId(final String id) {
        // A loop, not a stream over values(): this runs for every batch line.
        for (final EventType type : VALUES) {
            if (type.id.equals(id)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
