package org.borderwatch.alert.support;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;

import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;

import org.xml.sax.SAXException;

/** The OASIS CAP 1.2 schema (a copy ships in the test resources), to validate what the service renders. */
public final class CapSchema {

    private static final Schema SCHEMA = load();

    private CapSchema() {
    }

    private static Schema load() {
        try {
            final SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            return factory.newSchema(CapSchema.class.getResource("/cap/cap-v1.2.xsd"));
        } catch (final SAXException e) {
            throw new IllegalStateException("cannot load the CAP 1.2 schema", e);
        }
    }

    /** Throws with the schema's message when {@code xml} is not a valid CAP 1.2 message. */
    public static void validate(final String xml) {
        try {
            SCHEMA.newValidator().validate(new StreamSource(new StringReader(xml)));
        } catch (final SAXException e) {
            throw new AssertionError("not valid CAP 1.2: " + e.getMessage() + "\n" + xml, e);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
