package org.borderwatch.alert.support;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The rules of OASIS CAP 1.2 that its XML schema cannot express (the schema types times as {@code xs:dateTime} and
 * references as a string): the time form of §3.3.2, the {@code references} format of §3.2.1, and the elements a
 * {@code msgType} or {@code scope} requires. Returns every broken rule, so a test can show them all.
 */
public final class CapRules {

    private static final String NS = "urn:oasis:names:tc:emergency:cap:1.2";
    /** §3.3.2: "2002-05-24T16:49:00-07:00"; no fractions, a numeric offset, and no "Z". */
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}[+-]\\d{2}:\\d{2}");
    private static final Set<String> TIMES = Set.of("sent", "effective", "onset", "expires");
    private static final Set<String> REFERRING = Set.of("Update", "Cancel", "Ack", "Error");
    private static final List<String> INFO_REQUIRED = List.of("category", "event", "urgency", "severity",
            "certainty");

    private CapRules() {
    }

    public static List<String> violations(final String xml) {
        final Element alert = parse(xml).getDocumentElement();
        final List<String> violations = new ArrayList<>();
        for (final String name : TIMES) {
            final NodeList times = alert.getElementsByTagNameNS(NS, name);
            for (int i = 0; i < times.getLength(); i++) {
                time(name, times.item(i).getTextContent(), violations);
            }
        }
        noRestricted("identifier", text(alert, "identifier"), violations);
        noRestricted("sender", text(alert, "sender"), violations);
        final String msgType = text(alert, "msgType");
        final String references = text(alert, "references");
        if (REFERRING.contains(msgType) && references == null) {
            violations.add("msgType " + msgType + " needs <references> to the message(s) it refers to");
        }
        if (references != null) {
            for (final String reference : references.split(" ")) {
                final String[] parts = reference.split(",", -1);
                if (parts.length != 3) {
                    violations.add("reference '" + reference + "' is not sender,identifier,sent");
                    continue;
                }
                noRestricted("referenced sender", parts[0], violations);
                noRestricted("referenced identifier", parts[1], violations);
                time("referenced sent", parts[2], violations);
            }
        }
        final NodeList infos = alert.getElementsByTagNameNS(NS, "info");
        if (("Alert".equals(msgType) || "Update".equals(msgType)) && infos.getLength() == 0) {
            violations.add("msgType " + msgType + " carries no <info>");
        }
        for (int i = 0; i < infos.getLength(); i++) {
            for (final String required : INFO_REQUIRED) {
                if (text((Element) infos.item(i), required) == null) {
                    violations.add("<info> " + i + " has no <" + required + ">");
                }
            }
        }
        final String scope = text(alert, "scope");
        if ("Restricted".equals(scope) && text(alert, "restriction") == null) {
            violations.add("scope Restricted needs <restriction>");
        }
        if ("Private".equals(scope) && text(alert, "addresses") == null) {
            violations.add("scope Private needs <addresses>");
        }
        return violations;
    }

    /** The text of the first {@code name} element within {@code parent}, or null. */
    public static String text(final Element parent, final String name) {
        final NodeList nodes = parent.getElementsByTagNameNS(NS, name);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
    }

    public static Element root(final String xml) {
        return parse(xml).getDocumentElement();
    }

    private static void time(final String what, final String value, final List<String> violations) {
        if (!TIME.matcher(value).matches()) {
            violations.add(what + " '" + value + "' is not a CAP time such as 2002-05-24T16:49:00-07:00");
        } else if (value.endsWith("+00:00")) {
            violations.add(what + " '" + value + "': UTC must be written -00:00");
        }
    }

    private static void noRestricted(final String what, final String value, final List<String> violations) {
        if (value == null || value.isEmpty() || value.matches(".*[\\s,<&].*")) {
            violations.add(what + " '" + value + "' is empty or holds a space, comma, < or &");
        }
    }

    private static Document parse(final String xml) {
        try {
            final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (final Exception e) {
            throw new AssertionError("not XML: " + xml, e);
        }
    }
}
