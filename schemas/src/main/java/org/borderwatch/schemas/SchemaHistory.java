package org.borderwatch.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;

/**
 * The released versions of each record schema, kept as resources
 * {@code org/borderwatch/schemas/history/<Name>/v<N>.avsc} (full schemas with every named type inlined, as
 * {@code Schema.toString(true)} prints them). Decoders register every released version so that a record written
 * by any earlier release still decodes; the build's compatibility check holds the current schema against each.
 */
public final class SchemaHistory {

    public static final String RESOURCE_ROOT = "org/borderwatch/schemas/history/";

    private SchemaHistory() {
    }

    /** The released versions of {@code recordName} (simple name, e.g. {@code BorderIncident}), oldest first. */
    public static List<Schema> releasedVersions(final String recordName) {
        final List<Schema> versions = new ArrayList<>();
        final ClassLoader loader = SchemaHistory.class.getClassLoader();
        for (int version = 1; ; version++) {
            final String path = RESOURCE_ROOT + recordName + "/v" + version + ".avsc";
            try (InputStream in = loader.getResourceAsStream(path)) {
                if (in == null) {
                    return versions;
                }
                versions.add(new Schema.Parser().parse(in));
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot read released schema " + path, e);
            }
        }
    }
}
