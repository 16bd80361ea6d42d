package org.borderwatch.alert.format;

import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import org.borderwatch.avro.Alert;
import org.borderwatch.avro.AlertChange;
import org.borderwatch.avro.AlertChangeKind;
import org.borderwatch.avro.AlertStatus;
import org.borderwatch.avro.Severity;
import org.borderwatch.service.region.Region;
import org.borderwatch.service.region.Regions;

/**
 * Renders one alert change as an OASIS CAP 1.2 message: category Security; urgency, severity and certainty mapped
 * from the alert; the area as the region's name, its ISO 3166-2 geocode and its representative point. The first
 * change of an episode is an {@code Alert}; later changes are {@code Update}s that reference the previous message;
 * a resolve says {@code AllClear} with urgency {@code Past}. One line, no indentation (SSE data is line-based).
 */
public final class CapRenderer {

    public static final String NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2";
    public static final String CONTENT_TYPE = "application/xml";

    /**
     * CAP 1.2 §3.3.2: whole seconds with a numeric offset, and UTC written {@code -00:00} — never {@code Z}, never
     * {@code +00:00} (which {@code xxx} would print). Every time is rendered in UTC, so the offset is a literal.
     */
    private static final DateTimeFormatter CAP_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'-00:00'")
            .withZone(ZoneOffset.UTC);

    private final Regions regions;
    private final String sender;

    public CapRenderer(final Regions regions, final String sender) {
        this.regions = regions;
        this.sender = sender;
    }

    /**
     * @param alert    the change to render
     * @param previous the change before it in the same alert's history, referenced by an Update (may be null)
     */
    public String render(final Alert alert, final Alert previous) {
        final StringWriter out = new StringWriter();
        try {
            final XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.setDefaultNamespace(NAMESPACE);
            xml.writeStartElement(NAMESPACE, "alert");
            xml.writeDefaultNamespace(NAMESPACE);
            element(xml, "identifier", identifier(alert));
            element(xml, "sender", sender);
            element(xml, "sent", time(alert.getUpdatedAt()));
            element(xml, "status", "Actual");
            // A note or re-notification restates the alert's last change; only the firing itself starts a thread.
            final boolean fired = alert.getKind() == AlertChangeKind.STATE && alert.getChange() == AlertChange.FIRED;
            element(xml, "msgType", fired || previous == null ? "Alert" : "Update");
            element(xml, "scope", "Restricted");
            element(xml, "restriction", "borderwatch operations centers authorized for region " + alert.getRegion());
            if (!fired && previous != null) {
                element(xml, "references", sender + "," + identifier(previous) + "," + time(previous.getUpdatedAt()));
            }
            element(xml, "incidents", sanitize(alert.getAlertId()) + ":" + alert.getStartsAt().toEpochMilli());
            info(xml, alert);
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (final XMLStreamException e) {
            throw new IllegalStateException("cannot render alert " + alert.getAlertId() + " as CAP", e);
        }
        return out.toString();
    }

    /**
     * A CAP 1.2 message with {@code status} Test (receivers must not act on it), for a test delivery to a
     * subscription ({@code POST /v1/subscriptions/{id}/test}).
     */
    public String test(final String subscriptionId, final String id, final Instant at) {
        final StringWriter out = new StringWriter();
        try {
            final XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.setDefaultNamespace(NAMESPACE);
            xml.writeStartElement(NAMESPACE, "alert");
            xml.writeDefaultNamespace(NAMESPACE);
            element(xml, "identifier", "urn:borderwatch:test:" + sanitize(id));
            element(xml, "sender", sender);
            element(xml, "sent", time(at));
            element(xml, "status", "Test");
            element(xml, "msgType", "Alert");
            element(xml, "scope", "Restricted");
            element(xml, "restriction", "borderwatch test delivery for subscription " + subscriptionId);
            xml.writeStartElement(NAMESPACE, "info");
            element(xml, "language", "en-US");
            element(xml, "category", "Security");
            element(xml, "event", "borderwatch test delivery");
            element(xml, "urgency", "Unknown");
            element(xml, "severity", "Unknown");
            element(xml, "certainty", "Unknown");
            element(xml, "headline", "Test: this endpoint receives borderwatch alerts");
            parameter(xml, "subscriptionId", subscriptionId);
            xml.writeEndElement();
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (final XMLStreamException e) {
            throw new IllegalStateException("cannot render a CAP test message", e);
        }
        return out.toString();
    }

    private void info(final XMLStreamWriter xml, final Alert alert) throws XMLStreamException {
        final boolean resolved = alert.getStatus() == AlertStatus.RESOLVED;
        final Optional<Region> region = regions.find(alert.getRegion());
        final String place = region.map(r -> r.name() + " (" + r.code() + ")").orElse(alert.getRegion());
        final String threat = humanize(alert.getThreatType().name());
        xml.writeStartElement(NAMESPACE, "info");
        element(xml, "language", "en-US");
        element(xml, "category", "Security");
        element(xml, "event", threat + " surge");
        element(xml, "responseType", resolved ? "AllClear" : "Monitor");
        element(xml, "urgency", resolved ? "Past" : urgency(alert.getSeverity()));
        element(xml, "severity", severity(alert.getSeverity()));
        element(xml, "certainty", "Observed");
        element(xml, "effective", time(alert.getUpdatedAt()));
        element(xml, "onset", time(alert.getStartsAt()));
        element(xml, "senderName", "borderwatch");
        element(xml, "headline", (resolved ? "Resolved: " : "") + threat + " surge in " + place);
        element(xml, "description", description(alert));
        parameter(xml, "alertId", alert.getAlertId());
        parameter(xml, "ruleId", alert.getRuleId());
        parameter(xml, "change", alert.getChange().name());
        parameter(xml, "kind", alert.getKind().name());
        parameter(xml, "version", Long.toString(alert.getVersion()));
        parameter(xml, "metric", alert.getMetric().name());
        parameter(xml, "observedValue", number(alert.getObservedValue()));
        parameter(xml, "threshold", number(alert.getThreshold()));
        parameter(xml, "window", alert.getWindow());
        xml.writeStartElement(NAMESPACE, "area");
        element(xml, "areaDesc", place);
        if (region.isPresent()) {
            // A point: CAP's circle with radius 0 km at the region's administrative center.
            element(xml, "circle", String.format(Locale.ROOT, "%.4f,%.4f 0", region.get().latitude(),
                    region.get().longitude()));
        }
        xml.writeStartElement(NAMESPACE, "geocode");
        element(xml, "valueName", "ISO 3166-2");
        element(xml, "value", alert.getRegion());
        xml.writeEndElement();
        xml.writeEndElement();
        xml.writeEndElement();
    }

    private static String description(final Alert alert) {
        final StringBuilder text = new StringBuilder()
                .append(humanize(alert.getMetric().name())).append(' ').append(number(alert.getObservedValue()))
                .append(" against a threshold of ").append(number(alert.getThreshold()))
                .append(" within ").append(alert.getWindow()).append(" (rule ").append(alert.getRuleId()).append(").");
        if (alert.getEscalationLevel() > 0) {
            text.append(" Escalated ").append(alert.getEscalationLevel()).append(" time(s).");
        }
        if (alert.getAcknowledgement() != null) {
            text.append(" Acknowledged by ").append(alert.getAcknowledgement().getBy()).append(" at ")
                    .append(alert.getAcknowledgement().getAt());
            if (alert.getAcknowledgement().getComment() != null) {
                text.append(": ").append(alert.getAcknowledgement().getComment());
            }
            text.append('.');
        }
        if (alert.getEndsAt() != null) {
            text.append(" Resolved at ").append(alert.getEndsAt());
            if (alert.getManualResolution() != null) {
                text.append(" by ").append(alert.getManualResolution().getBy()).append(": ")
                        .append(alert.getManualResolution().getReason());
            }
            text.append('.');
        }
        if (alert.getKind() == AlertChangeKind.RENOTIFICATION) {
            text.append(" Still firing and not acknowledged: sent again.");
        }
        return text.toString();
    }

    static String identifier(final Alert alert) {
        return "urn:borderwatch:alert:" + sanitize(alert.getAlertId()) + ":v" + alert.getVersion();
    }

    /** CAP identifiers may not contain spaces, commas, {@code <} or {@code &}. */
    private static String sanitize(final String text) {
        return text.replaceAll("[^A-Za-z0-9._:|\\-]", "_");
    }

    private static String urgency(final Severity severity) {
        return severity.ordinal() >= Severity.HIGH.ordinal() ? "Immediate" : "Expected";
    }

    private static String severity(final Severity severity) {
        return switch (severity) {
            case CRITICAL -> "Extreme";
            case HIGH -> "Severe";
            case MEDIUM -> "Moderate";
            case LOW -> "Minor";
        };
    }

    private static String time(final Instant instant) {
        return CAP_TIME.format(instant);
    }

    private static String number(final double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value);
    }

    private static String humanize(final String constant) {
        final String words = constant.toLowerCase(Locale.ROOT).replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    private static void parameter(final XMLStreamWriter xml, final String name, final String value)
            throws XMLStreamException {
        xml.writeStartElement(NAMESPACE, "parameter");
        element(xml, "valueName", name);
        element(xml, "value", value);
        xml.writeEndElement();
    }

    private static void element(final XMLStreamWriter xml, final String name, final String text)
            throws XMLStreamException {
        xml.writeStartElement(NAMESPACE, name);
        xml.writeCharacters(text);
        xml.writeEndElement();
    }
}
