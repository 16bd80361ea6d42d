package org.borderwatch.ingest.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Random;

import org.borderwatch.avro.BorderIncident;
import org.borderwatch.ingest.IngestConfig;
import org.borderwatch.ingest.Json;
import org.borderwatch.ingest.Reports;
import org.borderwatch.service.body.MalformedBodyException;
import org.borderwatch.service.region.Regions;
import org.junit.jupiter.api.Test;

/** The time rules at their exact boundaries, with a fixed clock; and what the JSON parser refuses. */
class EventReaderTest {

    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    private static final IngestConfig CONFIG = new IngestConfig(1 << 20, 10_000, 10_000, 10_000,
            Duration.ofMinutes(5), Duration.ofDays(30), Duration.ofSeconds(5));

    private final EventReader reader = new EventReader(Regions.builtIn(), CONFIG, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void shouldConvertDecimalsToTheDoublesOfDoubleValueWhenTheyAreRandom() {
        final Random random = new Random(20261206L);
        for (int i = 0; i < 200_000; i++) {
            final BigDecimal value = switch (i % 5) {
                case 4 -> BigDecimal.valueOf(random.nextLong() >> random.nextInt(64), random.nextInt(30) - 3);
                case 0 -> new BigDecimal(Double.toString((random.nextDouble() - 0.5) * 360)); // a coordinate
                case 1 -> new BigDecimal(new BigInteger(1 + random.nextInt(80), random), random.nextInt(60) - 20);
                case 2 -> BigDecimal.valueOf(random.nextLong(), random.nextInt(800) - 400); // beyond double range
                default -> new BigDecimal(finite(random)); // a double's exact binary value
            };
            assertThat(Double.doubleToRawLongBits(EventReader.toDouble(value))).as(value.toString())
                    .isEqualTo(Double.doubleToRawLongBits(value.doubleValue()));
        }
    }

    private static double finite(final Random random) {
        final double value = Double.longBitsToDouble(random.nextLong());
        return Double.isFinite(value) ? value : random.nextDouble();
    }

    @Test
    void shouldRejectOccurredAtWhenOneMillisecondBeyondTheClockSkew() throws Exception {
        assertThat(rules(Reports.with(incident(), "occurredAt", NOW.plus(Duration.ofMinutes(5)).toString())))
                .isEmpty();
        assertThat(rules(Reports.with(incident(), "occurredAt", NOW.plus(Duration.ofMinutes(5)).plusMillis(1)
                .toString()))).containsExactly("occurredAt:future");
    }

    @Test
    void shouldRejectOccurredAtWhenOneMillisecondOlderThanTheMaximumAge() throws Exception {
        assertThat(rules(Reports.with(incident(), "occurredAt", NOW.minus(Duration.ofDays(30)).toString())))
                .isEmpty();
        assertThat(rules(Reports.with(incident(), "occurredAt", NOW.minus(Duration.ofDays(30)).minusMillis(1)
                .toString()))).containsExactly("occurredAt:too-old");
    }

    @Test
    void shouldStampReportedAtWithTheServerClockWhenItIsAbsent() throws Exception {
        final Reading reading = read(Reports.with(incident(), "reportedAt", null));

        assertThat(((BorderIncident) reading.event().value()).getReportedAt()).isEqualTo(NOW);
    }

    @Test
    void shouldKeepMillisecondsWhenAnInstantHasMoreDigits() throws Exception {
        final Reading reading = read(Reports.with(incident(), "occurredAt", "2025-03-01T10:00:00.123456789+05:00"));

        assertThat(((BorderIncident) reading.event().value()).getOccurredAt())
                .isEqualTo(Instant.parse("2025-03-01T05:00:00.123Z"));
    }

    @Test
    void shouldRefuseAJsonDocumentWhenContentFollowsOrAMemberRepeats() {
        assertThatThrownBy(() -> reader.parse("{\"a\": 1} {\"b\": 2}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedBodyException.class).hasMessageContaining("after the JSON document");
        assertThatThrownBy(() -> reader.parse("{\"severity\": \"LOW\", \"severity\": \"HIGH\"}"
                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedBodyException.class).hasMessageContaining("Duplicate field 'severity'");
        assertThatThrownBy(() -> reader.parse("[".repeat(5000).getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedBodyException.class).hasMessageContaining("nesting depth");
    }

    @Test
    void shouldAcceptOnlyCanonicalUuidsWhenCheckingAnEventId() {
        assertThat(EventReader.isCanonicalUuid("3f2b8c1e-7d4a-4e7b-9a51-0c6f2d9e8b17")).isTrue();
        assertThat(EventReader.isCanonicalUuid("3F2B8C1E-7D4A-4E7B-9A51-0C6F2D9E8B17")).isTrue();
        assertThat(EventReader.isCanonicalUuid("3f2b8c1e7d4a-4e7b-9a51-0c6f2d9e8b17-")).isFalse();
        assertThat(EventReader.isCanonicalUuid("3f2b8c1e-7d4a-4e7b-9a51-0c6f2d9e8b1g")).isFalse();
        assertThat(EventReader.isCanonicalUuid("3f2b8c1e-7d4a-4e7b-9a51-0c6f2d9e8b1")).isFalse();
        assertThat(EventReader.isCanonicalUuid("{3f2b8c1e-7d4a-4e7b-9a51-0c6f2d9e8b}")).isFalse();
        assertThat(EventReader.isCanonicalUuid("3f2b8c1e-7d4a-4e7b-9a51-0c6f2d9e8b1７")).isFalse();
    }

    private static Map<String, Object> incident() {
        return Reports.with(Reports.with(Reports.incident(), "occurredAt", NOW.minusSeconds(3600).toString()),
                "reportedAt", NOW.toString());
    }

    private Reading read(final Map<String, Object> report) throws MalformedBodyException {
        return reader.read(EventType.INCIDENT, reader.parse(Json.bytes(report)), false);
    }

    private java.util.List<String> rules(final Map<String, Object> report) throws MalformedBodyException {
        return read(report).violations().stream().map(v -> v.field() + ":" + v.rule()).toList();
    }
}
