package org.borderwatch.cli.chaos;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.borderwatch.bench.pipeline.Api;

/**
 * Malformed and hostile requests for every operation of a service's OpenAPI document: for operations with a body,
 * a valid template with one field at a time replaced by a hostile value, and whole bodies that are not JSON, not
 * UTF-8 or overlong UTF-8, too deep, too large or of the wrong type; hostile path ids and query values; with the
 * valid key, without a key and with a forged one. The valid key never goes with a real id on an operation that
 * acts without a body (disable, delete, ack, ...): that would be a legitimate request, not hostile input.
 */
final class HostileRequests {

    /** One request: raw bytes for the body, so invalid UTF-8 reaches the server as it is. */
    record Probe(String service, String method, String path, String key, String contentType, byte[] body) {
    }

    /** An operation of the OpenAPI document: its method and path template ({@code /v1/rules/{id}}). */
    record Operation(String method, String template) {

        boolean hasBody() {
            return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
        }
    }

    static final List<Object> HOSTILE_VALUES = List.of(
            "", "A".repeat(100_000), "\u0000", "'; DROP TABLE rules; --", "<script>alert(1)</script>",
            "${jndi:ldap://127.0.0.1:1/x}", "../../../../etc/passwd", "%00%0d%0aSet-Cookie: x=y",
            "\r\nX-Injected: 1", "\u202egnp.exe", "\ud800", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🚨", "*", "TJ-*", "NaN",
            "2026-13-45T99:99:99Z", "P99999999999D", "PT-1S", "-1", "1e309",
            Long.MAX_VALUE, Long.MIN_VALUE, -1, 0, 1.7976931348623157e308, -0.0, true, false,
            List.of(), List.of("a", 1, List.of()), Map.of(), Map.of("$gt", ""));

    /** Bodies that replace the whole body: not JSON, not UTF-8, too deep, wrong shape. Raw JSON text. */
    static List<byte[]> wholeBodies() {
        final List<byte[]> bodies = new ArrayList<>();
        for (final String text : List.of("", "null", "[]", "\"text\"", "12", "{", "{\"a\":", "{\"a\":1,\"a\":2}",
                "{/* comment */}", "\ufeff{}", "{'single': 'quotes'}", "[" .repeat(20_000), "{\"a\":".repeat(20_000),
                "{\"n\": 1" + "0".repeat(400_000) + "}", "{\"n\": 1e999999999}", "{\"s\": \"" + "\\u0000".repeat(1000)
                        + "\"}", "type=incident&region=TJ-KT", "\u0000\u0001\u0002")) {
            bodies.add(text.getBytes(StandardCharsets.UTF_8));
        }
        // Invalid and overlong UTF-8 inside a JSON string.
        for (final byte[] bad : List.of(new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xFF, (byte) 0xFE},
                new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
                new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})) {
            final ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes("{\"region\": \"TJ-".getBytes(StandardCharsets.UTF_8));
            body.writeBytes(bad);
            body.writeBytes("\", \"description\": \"".getBytes(StandardCharsets.UTF_8));
            body.writeBytes(bad);
            body.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
            bodies.add(body.toByteArray());
        }
        // 3 MB: past the alert and aggregator request limits, within ingest's (16 MB) where it must be refused
        // by validation instead.
        bodies.add(("{\"description\": \"" + "x".repeat(3_000_000) + "\"}").getBytes(StandardCharsets.UTF_8));
        return bodies;
    }

    static final List<String> HOSTILE_IDS = List.of("does-not-exist", "..%2F..%2Fetc%2Fpasswd", "%00", "%25",
            "x".repeat(8_000), "%F0%9F%9A%A8", "%C0%AF", "%FF%FE", "1%27%20OR%20%271%27%3D%271", "%7B%7D",
            UUID.randomUUID().toString());

    static final List<String> HOSTILE_QUERIES = List.of("region=%00", "region=" + "A".repeat(10_000),
            "limit=-1", "limit=99999999999999999999", "from=2026-13-45T99:99:99Z", "window=P99999999999D",
            "metric=%27%3B--", "threatType=%3Cscript%3E", "since=yesterday", "level=%C0%AF", "at=1e309",
            "region=TJ-KT&region=UZ-SU&region=" + "x,".repeat(2_000), "minSeverity=%FF", "to=-999999999-01-01T00:00Z",
            "status=FIRING%0d%0aX:%20y", "format=%7B%7D", "subscription=..%2F");

    private HostileRequests() {
    }

    /**
     * The probes for one service, at least {@code atLeast} of them (hostile field values are cycled with
     * different seeds until there are).
     *
     * @param realIds real ids per path template, used only with bodies (PUT, PATCH) under the valid key
     */
    static List<Probe> generate(final String service, final List<Operation> operations, final String key,
                                final Map<String, String> realIds, final int atLeast, final long seed) {
        final Random random = new Random(seed);
        final List<Probe> probes = new ArrayList<>();
        final List<byte[]> wholeBodies = wholeBodies();
        for (final Operation operation : operations) {
            final String realId = realIds.get(operation.template());
            // Forged and missing keys: refused before anything is read.
            for (final String forged : List.of("", "bw_" + "0".repeat(43), "' OR '1'='1", "A".repeat(9_000))) {
                probes.add(probe(service, operation, path(operation, "does-not-exist"), forged,
                        "application/json", "{}".getBytes(StandardCharsets.UTF_8)));
            }
            for (final String id : HOSTILE_IDS) {
                probes.add(probe(service, operation, path(operation, id), key, "application/json",
                        operation.hasBody() ? "{}".getBytes(StandardCharsets.UTF_8) : null));
            }
            if (operation.method().equals("GET")) {
                for (final String query : HOSTILE_QUERIES) {
                    probes.add(probe(service, operation, path(operation, realId != null ? realId : "does-not-exist")
                            + "?" + query, key, null, null));
                }
            }
            if (!operation.hasBody()) {
                continue;
            }
            // A body-less action on a real id would be a legitimate request; bodies go to real ids only on PUT/PATCH.
            final String id = realId != null && (operation.method().equals("PUT") || operation.method().equals("PATCH"))
                    ? realId : "does-not-exist";
            for (final byte[] body : wholeBodies) {
                for (final String type : List.of("application/json", "application/x-ndjson",
                        "application/merge-patch+json")) {
                    probes.add(probe(service, operation, path(operation, id), key, type, body));
                }
            }
            for (final String type : List.of("text/plain", "application/x-www-form-urlencoded", "",
                    "application/json; charset=ISO-8859-1", "multipart/form-data; boundary=x")) {
                probes.add(probe(service, operation, path(operation, id), key, type,
                        Api.write(template(operation.template())).getBytes(StandardCharsets.UTF_8)));
            }
        }
        // One field at a time replaced by a hostile value, cycled until there are enough probes.
        final List<Operation> withBody = operations.stream().filter(Operation::hasBody).toList();
        int round = 0;
        while (probes.size() < atLeast && !withBody.isEmpty()) {
            for (final Operation operation : withBody) {
                final Map<String, Object> template = template(operation.template());
                final List<String> fields = new ArrayList<>(template.keySet());
                fields.add("unknownField");
                final String field = fields.get(random.nextInt(fields.size()));
                final Object value = HOSTILE_VALUES.get((round + random.nextInt(HOSTILE_VALUES.size()))
                        % HOSTILE_VALUES.size());
                final Map<String, Object> body = new LinkedHashMap<>(template);
                body.put(field, value);
                final String realId = realIds.get(operation.template());
                final String id = realId != null && !operation.method().equals("POST") ? realId : "does-not-exist";
                final String contentType = operation.template().endsWith("/batch") ? "application/x-ndjson"
                        : operation.method().equals("PATCH") ? "application/merge-patch+json" : "application/json";
                final String text = operation.template().endsWith("/batch")
                        ? Api.write(body) + "\n" + Api.write(template) + "\n" : Api.write(body);
                probes.add(probe(service, operation, path(operation, id), key, contentType,
                        text.getBytes(StandardCharsets.UTF_8)));
            }
            round++;
        }
        return probes;
    }

    /**
     * A request body that is refused whichever one field is replaced: each template breaks two rules (an unknown
     * region and severity, a window that is not configured and a negative threshold, a metadata-service URL and an
     * unknown format, an end in the past and a start that is no date), so that no hostile value can make it a valid
     * request that would rightly be acted on.
     */
    static Map<String, Object> template(final String path) {
        final Map<String, Object> body = new LinkedHashMap<>();
        final String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        if (path.contains("incidents") || path.contains("batch") || path.contains("seizures")) {
            if (path.contains("batch")) {
                body.put("type", "incident");
            }
            body.put("eventId", UUID.randomUUID().toString());
            body.put("agencyId", "TJ-BORDER-GUARD");
            body.put("occurredAt", now);
            body.put("region", "TJ-XX");
            body.put("severity", "HUGE");
            body.put("confidence", "CONFIRMED");
            body.put("threatType", "ILLEGAL_CROSSING");
            body.put("detectedBy", "PATROL");
            body.put("description", "hostile");
        } else if (path.contains("rules")) {
            body.put("ruleId", "chaos-hostile");
            body.put("name", "hostile");
            body.put("region", "TJ-XX");
            body.put("threatType", "ILLEGAL_CROSSING");
            body.put("window", "PT7M");
            body.put("metric", "EVENT_COUNT");
            body.put("threshold", -5);
            body.put("severity", "HIGH");
        } else if (path.contains("subscriptions")) {
            body.put("channel", "webhook");
            body.put("url", "http://169.254.169.254/latest/meta-data");
            body.put("format", "nope");
            body.put("regions", List.of("TJ-XX"));
        } else if (path.contains("silences")) {
            body.put("regions", List.of("TJ-XX"));
            body.put("startsAt", "not-a-date");
            body.put("endsAt", "2001-01-01T00:00:00Z");
            body.put("comment", "hostile");
        } else if (path.contains("session")) {
            body.put("apiKey", "bw_" + "1".repeat(43));
        } else {
            body.put("comment", "hostile");
            body.put("text", "hostile");
            body.put("reason", "hostile");
        }
        return body;
    }

    private static String path(final Operation operation, final String id) {
        return operation.template().replaceAll("\\{[^}]+}", id);
    }

    private static Probe probe(final String service, final Operation operation, final String path, final String key,
                               final String contentType, final byte[] body) {
        return new Probe(service, operation.method(), path, key, contentType, body);
    }
}
