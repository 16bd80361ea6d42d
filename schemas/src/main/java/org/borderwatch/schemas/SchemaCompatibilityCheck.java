package org.borderwatch.schemas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.borderwatch.avro.Alert;
import org.borderwatch.avro.AlertCommand;
import org.borderwatch.avro.AlertRule;
import org.borderwatch.avro.BorderIncident;
import org.borderwatch.avro.Breach;
import org.borderwatch.avro.ConsoleSession;
import org.borderwatch.avro.DrugSeizure;
import org.borderwatch.avro.LateEvent;
import org.borderwatch.avro.Silence;
import org.borderwatch.avro.Subscription;
import org.borderwatch.avro.ThreatAggregate;
import org.borderwatch.avro.WebhookDelivery;

/**
 * Holds each current record schema against every released version of it, in both directions: the new reader must
 * read what old writers wrote (backward) and old readers must read what the new writer writes (forward). The build
 * runs it as a test; {@link #main} releases the current schemas as new history versions.
 */
public final class SchemaCompatibilityCheck {

    /** The top-level records written to topics; their nested types are checked through them. */
    public static final List<Schema> CURRENT = List.of(BorderIncident.getClassSchema(), DrugSeizure.getClassSchema(),
            ThreatAggregate.getClassSchema(), AlertRule.getClassSchema(), Breach.getClassSchema(),
            Alert.getClassSchema(), LateEvent.getClassSchema(), AlertCommand.getClassSchema(),
            Subscription.getClassSchema(), Silence.getClassSchema(), WebhookDelivery.getClassSchema(),
            ConsoleSession.getClassSchema());

    private SchemaCompatibilityCheck() {
    }

    /** Every incompatibility between {@code current} and the released versions, described for a person. */
    public static List<String> problems(final Schema current, final List<Schema> released) {
        final List<String> problems = new ArrayList<>();
        for (int i = 0; i < released.size(); i++) {
            final Schema old = released.get(i);
            final String version = current.getName() + " v" + (i + 1);
            describe(problems, "backward: the current schema cannot read data written with " + version, current,
                    SchemaCompatibility.checkReaderWriterCompatibility(current, old));
            describe(problems, "forward: readers using " + version + " cannot read data written with the current schema",
                    old, SchemaCompatibility.checkReaderWriterCompatibility(old, current));
        }
        return problems;
    }

    /** True when the current schema is itself one of the released versions (same canonical form). */
    public static boolean isReleased(final Schema current, final List<Schema> released) {
        final long fingerprint = SchemaNormalization.parsingFingerprint64(current);
        return released.stream().anyMatch(s -> SchemaNormalization.parsingFingerprint64(s) == fingerprint);
    }

    private static void describe(final List<String> problems, final String direction, final Schema reader,
                                 final SchemaCompatibility.SchemaPairCompatibility result) {
        if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
            result.getResult().getIncompatibilities().forEach(incompatibility -> problems.add(direction + ": "
                    + incompatibility.getType() + " at field " + fieldPath(reader, incompatibility.getLocation())
                    + " (" + incompatibility.getMessage() + ")"));
        }
    }

    /** Turns Avro's JSON-pointer location ({@code /fields/10/type}) into field names ({@code personsInvolved}). */
    static String fieldPath(final Schema reader, final String location) {
        final StringBuilder path = new StringBuilder();
        Schema schema = reader;
        final String[] steps = location.split("/");
        for (int i = 1; i < steps.length; i++) {
            if ("fields".equals(steps[i]) && i + 1 < steps.length && schema.getType() == Schema.Type.RECORD) {
                final int index = Integer.parseInt(steps[++i]);
                if (index >= schema.getFields().size()) {
                    break;
                }
                final Schema.Field field = schema.getFields().get(index);
                path.append(path.length() == 0 ? "" : ".").append(field.name());
                schema = field.schema();
            } else if (!"type".equals(steps[i])) {
                break;
            }
        }
        return path.length() == 0 ? location : path.toString();
    }

    /**
     * Releases the current schemas: writes each one that differs from its latest released version as the next
     * version under {@code args[0]} (normally {@code schemas/src/main/resources/org/borderwatch/schemas/history}).
     */
    public static void main(final String[] args) throws IOException {
        final Path root = Path.of(args.length > 0 ? args[0]
                : "schemas/src/main/resources/" + SchemaHistory.RESOURCE_ROOT);
        for (final Schema current : CURRENT) {
            final List<Schema> released = SchemaHistory.releasedVersions(current.getName());
            if (isReleased(current, released)) {
                continue;
            }
            final List<String> problems = problems(current, released);
            if (!problems.isEmpty()) {
                throw new IllegalStateException("refusing to release " + current.getName() + ": " + problems);
            }
            final Path file = root.resolve(current.getName()).resolve("v" + (released.size() + 1) + ".avsc");
            Files.createDirectories(file.getParent());
            Files.writeString(file, current.toString(true) + "\n");
            System.out.println("released " + file);
        }
    }

}
