package org.borderwatch.aggregator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.apache.kafka.common.utils.Utils;
import org.borderwatch.avro.BorderIncident;
import org.borderwatch.avro.Confidence;
import org.borderwatch.avro.DetectionMethod;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatType;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.schemas.Topics;
import org.borderwatch.service.region.Region;
import org.borderwatch.service.region.Regions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two aggregator instances of one application.id, each with its own port, state directory and application.server,
 * share the partitions; either answers for every region, country and the top list, forwarding to (or gathering
 * from) the other. The tests run in order: both up, then one gone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoInstancesTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int PARTITIONS = Topics.INCIDENTS.partitions();

    @TempDir
    static Path dir;

    private static EmbeddedKafkaCluster kafka;
    private static AggregatorApp first;
    private static AggregatorApp second;
    /** Crossings per region: 1, 2 or 3; the regions cover every partition. */
    private static final Map<String, Integer> CROSSINGS = new TreeMap<>();
    private static Instant hour;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start();
        kafka.createTopics();
        final Path credentials = Credentials.write(dir);
        final String applicationId = AggregatorApp.uniqueApplicationId("two");
        first = instance(credentials, applicationId, "first");
        second = instance(credentials, applicationId, "second");

        // Given regions on every partition, each with its own number of crossings in this hour
        final Set<Integer> covered = new HashSet<>();
        int i = 0;
        for (final Region region : Regions.builtIn().all()) {
            if (covered.add(partition(region.code())) || CROSSINGS.size() < 12) {
                CROSSINGS.put(region.code(), i++ % 3 + 1);
            }
            if (covered.size() == PARTITIONS && CROSSINGS.size() >= 12) {
                break;
            }
        }
        final Instant occurredAt = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        hour = occurredAt.truncatedTo(ChronoUnit.HOURS);
        final Map<String, List<BorderIncident>> reports = new LinkedHashMap<>();
        CROSSINGS.forEach((region, count) -> {
            for (int n = 0; n < count; n++) {
                reports.computeIfAbsent(region, key -> new ArrayList<>()).add(crossing(region, occurredAt));
            }
        });
        KafkaIo.produce(kafka.bootstrapServers(), Topics.INCIDENTS, reports);

        // When both instances run and share the partitions
        await().atMost(WAIT).untilAsserted(() -> assertThat(first.http.map(first.http.get(
                "/v1/aggregates/top?window=PT24H", Credentials.ANALYST_KEY)).get("servedBy"))
                .isEqualTo(List.of(first.endpoint(), second.endpoint()).stream().sorted().toList()));
    }

    @AfterAll
    static void stop() {
        for (final AggregatorApp app : new AggregatorApp[] {second, first}) {
            if (app != null) {
                app.close();
            }
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Order(1)
    void shouldAnswerEveryRegionAndCountryWhenAskingEitherInstance() {
        final Set<Object> servedBy = new HashSet<>();
        for (final Map.Entry<String, Integer> region : CROSSINGS.entrySet()) {
            final List<Map<String, Object>> fromFirst = await().atMost(WAIT).until(
                    () -> crossings(first, region.getKey()), list -> list.size() == 1
                            && region.getValue().equals(list.get(0).get("eventCount")));
            final HttpResponse<String> fromSecond = second.http.get(crossingsQuery(region.getKey()),
                    Credentials.ANALYST_KEY);
            assertThat(second.http.list(fromSecond, "aggregates")).isEqualTo(fromFirst);
            final Object owner = second.http.map(fromSecond).get("servedBy");
            assertThat(first.http.map(first.http.get(crossingsQuery(region.getKey()), Credentials.ANALYST_KEY))
                    .get("servedBy")).as("both ask the same owner").isEqualTo(owner);
            servedBy.add(owner);
        }
        assertThat(servedBy).as("each instance owns regions, so half the answers were forwarded")
                .containsExactlyInAnyOrder(first.endpoint(), second.endpoint());

        final Map<String, Integer> byCountry = new TreeMap<>();
        CROSSINGS.forEach((region, count) -> byCountry.merge(region.substring(0, 2), count, Integer::sum));
        for (final Map.Entry<String, Integer> country : byCountry.entrySet()) {
            for (final AggregatorApp app : List.of(first, second)) {
                await().atMost(WAIT).untilAsserted(() -> assertThat(crossings(app, country.getKey()))
                        .extracting(a -> a.get("region"), a -> a.get("eventCount"))
                        .containsExactly(tuple(country.getKey(), country.getValue())));
            }
        }
    }

    @Test
    @Order(2)
    void shouldRankEveryRegionWhenAskingEitherInstanceForTheTop() {
        final List<Map.Entry<String, Integer>> expected = CROSSINGS.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .toList();
        final String top = "/v1/aggregates/top?window=PT24H&threatType=ILLEGAL_CROSSING&limit=100";

        for (final AggregatorApp app : List.of(first, second)) {
            final Map<String, Object> answer = app.http.map(app.http.get(top, Credentials.ANALYST_KEY));
            assertThat(app.http.list(app.http.get(top, Credentials.ANALYST_KEY), "entries"))
                    .extracting(e -> e.get("region"), e -> e.get("value"))
                    .containsExactlyElementsOf(expected.stream()
                            .map(e -> tuple(e.getKey(), e.getValue().doubleValue())).toList());
            assertThat(answer.get("partitions")).isEqualTo(List.of(0, 1, 2, 3, 4, 5));
        }
    }

    @Test
    @Order(3)
    void shouldAnswer503UntilTheGroupNoticesAGoneInstanceThenEverythingFromTheOther() {
        // Given the second instance stops without leaving the group: until its session times out, the group (and
        // so the first instance) still counts it as the owner of its partitions
        second.close();
        second = null;

        // Then its regions answer 503 with Retry-After, the first's still answer, the top list is refused whole
        int refused = 0;
        for (final String region : CROSSINGS.keySet()) {
            final HttpResponse<String> response = first.http.get(crossingsQuery(region), Credentials.ANALYST_KEY);
            if (response.statusCode() == 503) {
                refused++;
                assertThat(response.headers().firstValue("Retry-After")).contains("5");
                assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
                assertThat(first.http.map(response)).containsEntry("type",
                        "urn:borderwatch:problem:service-unavailable");
            } else {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                assertThat(first.http.map(response).get("servedBy")).isEqualTo(first.endpoint());
            }
        }
        assertThat(refused).isPositive().isLessThan(CROSSINGS.size());
        final String top = "/v1/aggregates/top?window=PT24H&threatType=ILLEGAL_CROSSING&limit=100";
        final HttpResponse<String> refusedTop = first.http.get(top, Credentials.ANALYST_KEY);
        assertThat(refusedTop.statusCode()).isEqualTo(503);
        assertThat(refusedTop.headers().firstValue("Retry-After")).isPresent();

        // When the session times out, the tasks move to the first instance, which restores their state: until
        // then every top list is complete or refused, never partial
        final List<Integer> statuses = new ArrayList<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            final HttpResponse<String> response = first.http.get(top, Credentials.ANALYST_KEY);
            statuses.add(response.statusCode());
            if (response.statusCode() == 503) {
                assertThat(response.headers().firstValue("Retry-After")).isPresent();
                return false;
            }
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(first.http.list(response, "entries")).hasSize(CROSSINGS.size());
            return first.http.map(response).get("servedBy").equals(List.of(first.endpoint()));
        });
        assertThat(statuses).containsOnly(200, 503);

        // Then the first instance answers for every region itself, with the same figures
        for (final Map.Entry<String, Integer> region : CROSSINGS.entrySet()) {
            final HttpResponse<String> response = first.http.get(crossingsQuery(region.getKey()),
                    Credentials.ANALYST_KEY);
            assertThat(first.http.map(response)).containsEntry("servedBy", first.endpoint());
            assertThat(first.http.list(response, "aggregates")).extracting(a -> a.get("eventCount"))
                    .containsExactly(region.getValue());
        }
    }

    private static AggregatorApp instance(final Path credentials, final String applicationId, final String name) {
        final int port = AggregatorApp.freePort();
        return AggregatorApp.start(kafka, credentials, dir.resolve(name), Map.of(
                "micronaut.server.port", port,
                "borderwatch.aggregator.application-id", applicationId,
                "borderwatch.aggregator.application-server", "127.0.0.1:" + port,
                // A stopped instance keeps its tasks until its session times out (as in a crash or a rolling
                // restart): the window in which the others must refuse rather than answer partially.
                "borderwatch.aggregator.leave-group-on-close", false,
                "kafka.streams.session.timeout.ms", "10000"));
    }

    private static String crossingsQuery(final String code) {
        return "/v1/aggregates?region=" + code + "&threatType=ILLEGAL_CROSSING&window=PT1H&from=" + hour + "&to="
                + hour.plus(Duration.ofHours(1));
    }

    private static List<Map<String, Object>> crossings(final AggregatorApp app, final String code) {
        final HttpResponse<String> response = app.http.get(crossingsQuery(code), Credentials.ANALYST_KEY);
        return response.statusCode() == 200 ? app.http.list(response, "aggregates") : List.of();
    }

    /** The partition Kafka's default partitioner gives a record keyed by {@code region}. */
    private static int partition(final String region) {
        return Utils.toPositive(Utils.murmur2(region.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    private static BorderIncident crossing(final String region, final Instant occurredAt) {
        return BorderIncident.newBuilder()
                .setEventId(UUID.randomUUID())
                .setAgencyId("border-guard")
                .setOccurredAt(occurredAt)
                .setReportedAt(occurredAt)
                .setRegion(region)
                .setSeverity(Severity.MEDIUM)
                .setConfidence(Confidence.CONFIRMED)
                .setThreatType(ThreatType.ILLEGAL_CROSSING)
                .setDetectedBy(DetectionMethod.PATROL)
                .build();
    }
}
