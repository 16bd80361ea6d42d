package org.borderwatch.ingest.event;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The two kinds of report an agency publishes, with the JSON fields each accepts. */
public enum EventType {
    INCIDENT("incident", IncidentReport.class),
    SEIZURE("seizure", SeizureReport.class);

    private final String id;
    private final Set<String> fields;

    EventType(final String id, final Class<? extends Record> documentedBody) {
        this.id = id;
        // The documented body is the one list of field names; the reader refuses every other name.
        this.fields = Arrays.stream(documentedBody.getRecordComponents()).map(RecordComponent::getName)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The name in a batch line's {@code type} and in the {@code type} label of the metrics. */
    public String id() {
        return id;
    }

    public Set<String> fields() {
        return fields;
    }

    public static Optional<EventType> fromId(final String id) {
        return Arrays.stream(values()).filter(type -> type.id.equals(id)).findFirst();
    }
}
