package org.borderwatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.schemas.Topics;

/**
 * Malformed and hostile bodies (random JSON, wrong types, oversized and broken Unicode strings, unknown fields,
 * truncated documents, random bytes, deep nesting, absurd numbers, another agency's events) only ever get a 4xx,
 * and not one record reaches the topics. Every generated body is invalid by construction, so any 2xx is a bug.
 */
class HostileBodyPropertiesTest {

    private static final List<String> STRICT_TEXT = List.of("eventId", "occurredAt", "reportedAt", "region",
            "severity", "confidence");
    private static final List<String> INCIDENT_STRICT = List.of("threatType", "detectedBy");
    private static final List<String> SEIZURE_STRICT = List.of("drugType", "departureCountry", "destinationCountry");

    private static EmbeddedKafkaCluster kafka;
    private static IngestApp app;
    private static Path dir;

    /** One request body and the endpoint it goes to; {@code what} says how it is broken, for the failure report. */
    record Hostile(boolean incident, Object body, String what) {

        String path() {
            return incident ? "/v1/incidents" : "/v1/seizures";
        }

        byte[] bytes() {
            return body instanceof byte[] raw ? raw : Json.bytes(body);
        }

        /** As a batch line: objects get their "type", everything else goes as is. */
        byte[] line() {
            if (body instanceof Map<?, ?> map) {
                final Map<Object, Object> typed = new LinkedHashMap<>(map);
                typed.put("type", incident ? "incident" : "seizure");
                return Json.bytes(typed);
            }
            return bytes();
        }

        @Override
        public String toString() {
            final String text = new String(bytes(), StandardCharsets.UTF_8);
            return what + " -> " + path() + " " + (text.length() > 300 ? text.substring(0, 300) + "..." : text);
        }
    }

    @BeforeContainer
    static void start() throws Exception {
        dir = Files.createTempDirectory("borderwatch-hostile-");
        kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start();
        kafka.createTopics();
        app = IngestApp.start(kafka, dir);
    }

    @AfterContainer
    static void stop() {
        app.close();
        kafka.close();
    }

    @AfterProperty
    void nothingReachedKafka() {
        assertThat(TopicReader.count(kafka.bootstrapServers(), Topics.INCIDENTS)).isZero();
        assertThat(TopicReader.count(kafka.bootstrapServers(), Topics.SEIZURES)).isZero();
    }

    @Property(tries = 400)
    void shouldAnswer4xxAndPublishNothingWhenASingleBodyIsHostile(@ForAll("hostile") final Hostile hostile) {
        final HttpResponse<String> response = app.post(hostile.path(), "application/json", hostile.bytes(),
                IngestApp.AGENCY_KEY);

        assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
    }

    @Property(tries = 60)
    void shouldRejectEveryLineAndPublishNothingWhenABatchIsHostile(
            @ForAll("batches") final List<Hostile> lines) {
        final List<byte[]> parts = lines.stream().map(Hostile::line).toList();
        final byte[] body = String.join("\n", parts.stream().map(b -> new String(b, StandardCharsets.ISO_8859_1))
                .toList()).getBytes(StandardCharsets.ISO_8859_1);

        final HttpResponse<String> response = app.post("/v1/batch", "application/x-ndjson", body,
                IngestApp.AGENCY_KEY);

        if (response.statusCode() == 207) {
            assertThat(app.body(response)).as(response.body()).containsEntry("accepted", 0).containsEntry("failed", 0);
        } else {
            assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
        }
    }

    @Provide
    Arbitrary<List<Hostile>> batches() {
        return hostile().list().ofMinSize(1).ofMaxSize(20);
    }

    @Provide
    Arbitrary<Hostile> hostile() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, randomJson()),
                net.jqwik.api.Tuple.of(6, wrongType()),
                net.jqwik.api.Tuple.of(4, strictFieldJunk()),
                net.jqwik.api.Tuple.of(3, oversizedText()),
                net.jqwik.api.Tuple.of(3, numberOutOfRange()),
                net.jqwik.api.Tuple.of(2, missingRequired()),
                net.jqwik.api.Tuple.of(3, unknownField()),
                net.jqwik.api.Tuple.of(3, truncated()),
                net.jqwik.api.Tuple.of(2, randomBytes()),
                net.jqwik.api.Tuple.of(1, deepNesting()),
                net.jqwik.api.Tuple.of(1, scalarDocument()),
                net.jqwik.api.Tuple.of(1, otherAgency()));
    }

    private static Arbitrary<Boolean> kind() {
        return Arbitraries.of(true, false);
    }

    private static Map<String, Object> valid(final boolean incident) {
        return incident ? Reports.incident() : Reports.seizure();
    }

    /** Any JSON value, nested up to {@code depth}; strings over all of UTF-16, unpaired surrogates included. */
    private static Arbitrary<Object> jsonValue(final int depth) {
        final Arbitrary<Object> leaf = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40).map(s -> (Object) s),
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.just(null));
        if (depth == 0) {
            return leaf;
        }
        return Arbitraries.oneOf(leaf,
                jsonValue(depth - 1).list().ofMaxSize(4).map(list -> (Object) list),
                Arbitraries.maps(Arbitraries.strings().all().ofMaxLength(12), jsonValue(depth - 1)).ofMaxSize(4)
                        .map(map -> (Object) map));
    }

    private static Arbitrary<Hostile> randomJson() {
        return Combinators.combine(kind(), jsonValue(3))
                .as((incident, value) -> new Hostile(incident, value, "random JSON"));
    }

    /** A field of a valid report holding a value of the wrong JSON type. */
    private static Arbitrary<Hostile> wrongType() {
        return kind().flatMap(incident -> {
            final List<String> fields = new ArrayList<>(valid(incident).keySet());
            if (incident) {
                fields.add("personsInvolved");
            }
            return Combinators.combine(Arbitraries.of(fields), jsonValue(2).filter(v -> v != null))
                    .as((field, value) -> new Hostile(incident, Reports.with(valid(incident), field, value),
                            "wrong type for " + field))
                    .filter(hostile -> !typeFits(((Map<?, ?>) hostile.body()).get(fieldOf(hostile)),
                            fieldOf(hostile)));
        });
    }

    private static String fieldOf(final Hostile hostile) {
        return hostile.what().substring(hostile.what().lastIndexOf(' ') + 1);
    }

    /** Whether {@code value} has the JSON type {@code field} expects (then it is not a wrong-type case). */
    private static boolean typeFits(final Object value, final String field) {
        return switch (field) {
            case "personsInvolved", "arrests", "quantityKg" -> value instanceof Number;
            // Any object given as location lacks latitude or longitude, or has unknown members.
            case "location" -> false;
            default -> value instanceof String;
        };
    }

    /** Junk (never a valid value: it starts with '~') in a field that only takes codes, ids, instants, enums. */
    private static Arbitrary<Hostile> strictFieldJunk() {
        return kind().flatMap(incident -> {
            final List<String> fields = new ArrayList<>(STRICT_TEXT);
            fields.addAll(incident ? INCIDENT_STRICT : SEIZURE_STRICT);
            return Combinators.combine(Arbitraries.of(fields), Arbitraries.strings().all().ofMaxLength(300))
                    .as((field, junk) -> new Hostile(incident, Reports.with(valid(incident), field, "~" + junk),
                            "junk in " + field));
        });
    }

    /** Texts longer than their limit, in any characters (over twice the limit in UTF-16 units). */
    private static Arbitrary<Hostile> oversizedText() {
        return kind().flatMap(incident -> {
            final List<String> fields = new ArrayList<>(List.of("agencyId", "borderSection"));
            fields.add(incident ? "description" : "concealment");
            return Arbitraries.of(fields).flatMap(field -> {
                final int limit = field.equals("description") ? 4000 : 200;
                return Arbitraries.strings().all().ofMinLength(2 * limit + 2).ofMaxLength(2 * limit + 50)
                        .map(text -> new Hostile(incident, Reports.with(valid(incident), field, text),
                                "oversized " + field));
            });
        });
    }

    private static Arbitrary<Hostile> numberOutOfRange() {
        final Arbitrary<Object> count = Arbitraries.oneOf(
                Arbitraries.integers().lessOrEqual(-1).map(i -> (Object) i),
                Arbitraries.integers().greaterOrEqual(10_001).map(i -> (Object) i),
                Arbitraries.of(0.5, 1.25, -0.1).map(d -> (Object) d),
                Arbitraries.of("1e999999999", "123456789012345678901234567890", "-1e400").map(Json.Raw::new));
        final Arbitrary<Object> quantity = Arbitraries.oneOf(
                Arbitraries.doubles().lessOrEqual(0).map(d -> (Object) d),
                Arbitraries.doubles().greaterThan(10_000).lessOrEqual(1e300).map(d -> (Object) d),
                Arbitraries.of("1e999999999", "-0", "0.0", "1e-999999", "-1e-5").map(Json.Raw::new));
        final Arbitrary<Object> location = Arbitraries.oneOf(
                Arbitraries.doubles().greaterThan(90).lessOrEqual(1e6)
                        .map(lat -> (Object) Map.of("latitude", lat, "longitude", 10.0)),
                Arbitraries.doubles().lessThan(-180).greaterOrEqual(-1e6)
                        .map(lon -> (Object) Map.of("latitude", 10.0, "longitude", lon)));
        return Arbitraries.oneOf(
                count.map(n -> new Hostile(true, Reports.with(Reports.incident(), "personsInvolved", n),
                        "out of range personsInvolved")),
                count.map(n -> new Hostile(false, Reports.with(Reports.seizure(), "arrests", n),
                        "out of range arrests")),
                quantity.map(q -> new Hostile(false, Reports.with(Reports.seizure(), "quantityKg", q),
                        "out of range quantityKg")),
                Combinators.combine(kind(), location).as((incident, l) -> new Hostile(incident,
                        Reports.with(valid(incident), "location", l), "out of range location")));
    }

    private static Arbitrary<Hostile> missingRequired() {
        return kind().flatMap(incident -> Arbitraries.of(incident
                        ? List.of("eventId", "agencyId", "occurredAt", "region", "severity", "confidence",
                        "threatType", "detectedBy")
                        : List.of("eventId", "agencyId", "occurredAt", "region", "severity", "confidence", "drugType",
                        "quantityKg"))
                .map(field -> new Hostile(incident, Reports.with(valid(incident), field, null), "missing " + field)));
    }

    private static Arbitrary<Hostile> unknownField() {
        // Not null: a null member counts as absent, and the report would be valid.
        return Combinators.combine(kind(), Arbitraries.strings().all().ofMaxLength(30),
                        jsonValue(2).filter(value -> value != null))
                .as((incident, name, value) -> new Hostile(incident, Reports.with(valid(incident), "x_" + name, value),
                        "unknown field"));
    }

    private static Arbitrary<Hostile> truncated() {
        return kind().flatMap(incident -> {
            final byte[] json = Json.bytes(valid(incident));
            return Arbitraries.integers().between(0, json.length - 1)
                    .map(cut -> new Hostile(incident, Arrays.copyOf(json, cut), "truncated JSON"));
        });
    }

    private static Arbitrary<Hostile> randomBytes() {
        return Combinators.combine(kind(), Arbitraries.bytes().array(byte[].class).ofMaxSize(400))
                .as((incident, bytes) -> new Hostile(incident, bytes, "random bytes"));
    }

    private static Arbitrary<Hostile> deepNesting() {
        return Combinators.combine(kind(), Arbitraries.integers().between(1_001, 20_000), Arbitraries.of("[", "{\"a\":"))
                .as((incident, depth, open) -> new Hostile(incident,
                        (open.repeat(depth) + "1").getBytes(StandardCharsets.UTF_8), "nested " + depth + " deep"));
    }

    private static Arbitrary<Hostile> scalarDocument() {
        return Combinators.combine(kind(), Arbitraries.of("null", "true", "12", "\"incident\"", "[]", "[{}]", "{}"))
                .as((incident, text) -> new Hostile(incident, text.getBytes(StandardCharsets.UTF_8), "scalar"));
    }

    private static Arbitrary<Hostile> otherAgency() {
        return Combinators.combine(kind(), Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20))
                .as((incident, agency) -> new Hostile(incident,
                        Reports.with(valid(incident), "agencyId", "OTHER-" + agency), "other agency"));
    }
}
