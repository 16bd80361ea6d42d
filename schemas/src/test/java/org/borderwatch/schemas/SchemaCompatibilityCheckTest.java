package org.borderwatch.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import org.apache.avro.Schema;
import org.borderwatch.avro.BorderIncident;
import org.junit.jupiter.api.Test;

/**
 * The build's schema check: a current schema that cannot read its released versions, or that released readers
 * cannot read, fails {@code mvn verify}.
 */
class SchemaCompatibilityCheckTest {

    @Test
    void shouldFindEveryCurrentSchemaCompatibleWithAllItsReleasedVersions() {
        for (final Schema current : SchemaCompatibilityCheck.CURRENT) {
            final List<Schema> released = SchemaHistory.releasedVersions(current.getName());
            assertThat(released).as("released versions of %s", current.getName()).isNotEmpty();
            assertThat(SchemaCompatibilityCheck.problems(current, released)).as(current.getName()).isEmpty();
        }
    }

    @Test
    void shouldRequireEveryCurrentSchemaToBeReleasedSoDecodersKnowItsFingerprint() {
        for (final Schema current : SchemaCompatibilityCheck.CURRENT) {
            assertThat(SchemaCompatibilityCheck.isReleased(current, SchemaHistory.releasedVersions(current.getName())))
                    .as("%s changed but is not released: run `mvn -pl schemas -q compile exec:java` (see README,"
                            + " 'Changing a schema')", current.getName())
                    .isTrue();
        }
    }

    @Test
    void shouldReportBothDirectionsWhenASchemaChangesIncompatibly() throws IOException {
        final Schema incompatible = fixture("BorderIncident-incompatible.avsc");
        final List<String> problems = SchemaCompatibilityCheck.problems(incompatible,
                List.of(BorderIncident.getClassSchema()));

        // The new required field has no default: new readers cannot read old data.
        assertThat(problems).anySatisfy(problem -> assertThat(problem)
                .startsWith("backward").contains("READER_FIELD_MISSING_DEFAULT_VALUE").contains("commanderName"));
        // int -> string: neither side reads the other's personsInvolved.
        assertThat(problems).anySatisfy(problem -> assertThat(problem)
                .startsWith("backward").contains("TYPE_MISMATCH").contains("personsInvolved"));
        assertThat(problems).anySatisfy(problem -> assertThat(problem)
                .startsWith("forward").contains("TYPE_MISMATCH").contains("personsInvolved"));
    }

    @Test
    void shouldNameFieldsInsteadOfPointerLocations() {
        assertThat(SchemaCompatibilityCheck.fieldPath(BorderIncident.getClassSchema(), "/fields/10/type"))
                .isEqualTo("personsInvolved");
        assertThat(SchemaCompatibilityCheck.fieldPath(BorderIncident.getClassSchema(), "/name")).isEqualTo("/name");
    }

    @Test
    void shouldAcceptAFieldAddedWithADefault() throws IOException {
        final Schema next = fixture("BorderIncident-compatible-next.avsc");

        assertThat(SchemaCompatibilityCheck.problems(next, List.of(BorderIncident.getClassSchema()))).isEmpty();
    }

    static Schema fixture(final String name) throws IOException {
        try (InputStream in = SchemaCompatibilityCheckTest.class.getResourceAsStream("/fixtures/" + name)) {
            return new Schema.Parser().parse(in);
        }
    }
}
