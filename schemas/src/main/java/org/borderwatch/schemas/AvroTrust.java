package org.borderwatch.schemas;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 decodes generated classes only from trusted packages. Our generated classes live in
 * {@code org.borderwatch.avro}; this adds that package to whatever the JVM already trusts, so no process has to
 * remember the {@code org.apache.avro.SERIALIZABLE_PACKAGES} system property.
 */
public final class AvroTrust {

    public static final String GENERATED_PACKAGE = "org.borderwatch.avro";

    private static volatile boolean installed;

    private AvroTrust() {
    }

    public static synchronized void install() {
        if (installed) {
            return;
        }
        final ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(
                previous,
                type -> type.getName().startsWith(GENERATED_PACKAGE + ".")));
        installed = true;
    }
}
