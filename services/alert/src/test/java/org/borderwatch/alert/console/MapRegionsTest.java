package org.borderwatch.alert.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.borderwatch.service.region.Region;
import org.borderwatch.service.region.Regions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's offline map (console/map/central-asia-adm1.geojson) draws exactly the regions of the reference list,
 * with valid geometry, each region's administrative centre on its own shape, within the size budget that keeps it
 * quick to load.
 */
class MapRegionsTest {

    private static final String MAP = "/console/map/central-asia-adm1.geojson";
    /** Bytes; the console loads the file at start, so it has to stay small (see console/map/README.md). */
    private static final int SIZE_BUDGET = 300_000;
    /** Vertices over all regions. */
    private static final int POINT_BUDGET = 20_000;
    /** The area the map covers: Kazakhstan, Uzbekistan, Turkmenistan, Kyrgyzstan, Tajikistan, Afghanistan. */
    private static final double WEST = 46.0, EAST = 88.0, SOUTH = 29.0, NORTH = 56.0;
    /** Degrees (about 10 km): how far a centre may lie outside its simplified shape (capitals on a border). */
    private static final double CENTRE_TOLERANCE = 0.1;

    private static byte[] bytes;
    private static Map<String, Object> collection;
    private static List<Map<String, Object>> features;
    private static Regions regions;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        try (InputStream in = MapRegionsTest.class.getResourceAsStream(MAP)) {
            assertThat(in).as("classpath resource " + MAP).isNotNull();
            bytes = in.readAllBytes();
        }
        collection = (Map<String, Object>) new Json(new String(bytes, StandardCharsets.UTF_8)).parse();
        features = (List<Map<String, Object>>) collection.get("features");
        regions = Regions.builtIn();
    }

    @Test
    void shouldDrawEveryReferenceRegionOnceWhenLoaded() {
        final List<String> drawn = features.stream().map(MapRegionsTest::code).toList();
        final Set<String> reference = regions.all().stream().map(Region::code).collect(Collectors.toSet());
        final Set<String> missing = new TreeSet<>(reference);
        missing.removeAll(drawn);
        final Set<String> unknown = new TreeSet<>(drawn);
        unknown.removeAll(reference);
        final Set<String> seen = new TreeSet<>();
        final Set<String> duplicated = drawn.stream().filter(c -> !seen.add(c)).collect(Collectors.toCollection(TreeSet::new));

        assertThat(missing).as("reference regions the map does not draw").isEmpty();
        assertThat(unknown).as("map regions missing from regions.csv").isEmpty();
        assertThat(duplicated).as("regions drawn twice").isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldNameRegionsLikeTheReferenceWhenLoaded() {
        final List<String> problems = new ArrayList<>();
        for (final Map<String, Object> feature : features) {
            final Map<String, Object> properties = (Map<String, Object>) feature.get("properties");
            final String code = code(feature);
            if (!properties.keySet().equals(Set.of("code", "name", "country"))) {
                problems.add(code + " has properties " + properties.keySet());
            }
            regions.find(code).ifPresent(region -> {
                if (!region.name().equals(properties.get("name")) || !region.country().equals(properties.get("country"))) {
                    problems.add(code + " is " + properties.get("name") + "/" + properties.get("country") + ", reference says "
                            + region.name() + "/" + region.country());
                }
            });
        }
        assertThat(problems).isEmpty();
        assertThat((String) collection.get("attribution")).as("attribution the map must show").contains("geoBoundaries")
                .contains("OpenStreetMap");
    }

    @Test
    void shouldHaveValidRingsWhenParsed() {
        final List<String> problems = new ArrayList<>();
        for (final Map<String, Object> feature : features) {
            final String code = code(feature);
            final String type = geometryType(feature);
            if (!type.equals("Polygon") && !type.equals("MultiPolygon")) {
                problems.add(code + " is a " + type);
                continue;
            }
            for (final List<List<List<Double>>> polygon : polygons(feature)) {
                if (polygon.isEmpty()) {
                    problems.add(code + " has an empty polygon");
                }
                for (final List<List<Double>> ring : polygon) {
                    if (ring.size() < 4) {
                        problems.add(code + " has a ring of " + ring.size() + " points");
                        continue;
                    }
                    if (!ring.get(0).equals(ring.get(ring.size() - 1))) {
                        problems.add(code + " has an unclosed ring starting at " + ring.get(0));
                    }
                    for (final List<Double> point : ring) {
                        if (point.size() != 2 || point.get(0) < WEST || point.get(0) > EAST || point.get(1) < SOUTH
                                || point.get(1) > NORTH) {
                            problems.add(code + " has a point outside the area: " + point);
                            break;
                        }
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldPlaceEachAdministrativeCentreOnItsRegionWhenDrawn() {
        final List<String> problems = new ArrayList<>();
        for (final Map<String, Object> feature : features) {
            final String code = code(feature);
            final Region region = regions.find(code).orElse(null);
            if (region == null) {
                continue; // reported by shouldDrawEveryReferenceRegionOnceWhenLoaded
            }
            final double x = region.longitude(), y = region.latitude();
            boolean inside = false;
            double distance = Double.MAX_VALUE;
            for (final List<List<List<Double>>> polygon : polygons(feature)) {
                boolean inPolygon = false; // even-odd over the outer ring and its holes
                for (final List<List<Double>> ring : polygon) {
                    for (int i = 0; i + 1 < ring.size(); i++) {
                        final double x1 = ring.get(i).get(0), y1 = ring.get(i).get(1);
                        final double x2 = ring.get(i + 1).get(0), y2 = ring.get(i + 1).get(1);
                        if ((y1 > y) != (y2 > y) && x < x1 + (y - y1) * (x2 - x1) / (y2 - y1)) {
                            inPolygon = !inPolygon;
                        }
                        distance = Math.min(distance, segmentDistance(x, y, x1, y1, x2, y2));
                    }
                }
                inside |= inPolygon;
            }
            if (!inside && distance > CENTRE_TOLERANCE) {
                problems.add(String.format("%s centre (%.4f, %.4f) is %.2f degrees off its shape", code, y, x, distance));
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldStayWithinItsSizeBudgetWhenShipped() {
        final long points = features.stream().flatMap(f -> polygons(f).stream()).flatMap(List::stream)
                .mapToLong(List::size).sum();

        assertThat(bytes.length).as("bytes of " + MAP).isLessThanOrEqualTo(SIZE_BUDGET);
        assertThat(points).as("points in " + MAP).isLessThanOrEqualTo(POINT_BUDGET);
    }

    @SuppressWarnings("unchecked")
    private static String code(final Map<String, Object> feature) {
        return (String) ((Map<String, Object>) feature.get("properties")).get("code");
    }

    @SuppressWarnings("unchecked")
    private static String geometryType(final Map<String, Object> feature) {
        return (String) ((Map<String, Object>) feature.get("geometry")).get("type");
    }

    @SuppressWarnings("unchecked")
    private static List<List<List<List<Double>>>> polygons(final Map<String, Object> feature) {
        final Object coordinates = ((Map<String, Object>) feature.get("geometry")).get("coordinates");
        return geometryType(feature).equals("Polygon") ? List.of((List<List<List<Double>>>) coordinates)
                : (List<List<List<List<Double>>>>) coordinates;
    }

    private static double segmentDistance(final double px, final double py, final double x1, final double y1,
            final double x2, final double y2) {
        final double dx = x2 - x1, dy = y2 - y1;
        final double length = dx * dx + dy * dy;
        final double t = length == 0 ? 0 : Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / length));
        return Math.hypot(px - x1 - t * dx, py - y1 - t * dy);
    }

    /** Just enough JSON for a GeoJSON file: objects, arrays, strings, numbers (as Double), true, false, null. */
    private static final class Json {
        private final String text;
        private int at;

        Json(final String text) {
            this.text = text;
        }

        Object parse() {
            final Object value = value();
            space();
            if (at != text.length()) {
                throw error("trailing text");
            }
            return value;
        }

        private Object value() {
            space();
            if (at >= text.length()) {
                throw error("unexpected end");
            }
            final char c = text.charAt(at);
            if (c == '{') {
                final Map<String, Object> object = new LinkedHashMap<>();
                at++;
                space();
                if (peek('}')) {
                    return object;
                }
                do {
                    space();
                    final String key = string();
                    space();
                    expect(':');
                    object.put(key, value());
                    space();
                } while (next(','));
                expect('}');
                return object;
            }
            if (c == '[') {
                final List<Object> array = new ArrayList<>();
                at++;
                space();
                if (peek(']')) {
                    return array;
                }
                do {
                    array.add(value());
                    space();
                } while (next(','));
                expect(']');
                return array;
            }
            if (c == '"') {
                return string();
            }
            if (text.startsWith("true", at) || text.startsWith("null", at)) {
                at += 4;
                return c == 't' ? Boolean.TRUE : null;
            }
            if (text.startsWith("false", at)) {
                at += 5;
                return Boolean.FALSE;
            }
            final int start = at;
            while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            if (start == at) {
                throw error("unexpected '" + c + "'");
            }
            return Double.valueOf(text.substring(start, at));
        }

        private String string() {
            expect('"');
            final StringBuilder out = new StringBuilder();
            while (at < text.length() && text.charAt(at) != '"') {
                char c = text.charAt(at++);
                if (c == '\\') {
                    c = text.charAt(at++);
                    switch (c) {
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        case 'r' -> out.append('\r');
                        case 'b' -> out.append('\b');
                        case 'f' -> out.append('\f');
                        case 'u' -> {
                            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                            at += 4;
                        }
                        default -> out.append(c);
                    }
                } else {
                    out.append(c);
                }
            }
            expect('"');
            return out.toString();
        }

        private void space() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        private boolean peek(final char c) {
            if (at < text.length() && text.charAt(at) == c) {
                at++;
                return true;
            }
            return false;
        }

        private boolean next(final char c) {
            return peek(c);
        }

        private void expect(final char c) {
            if (!peek(c)) {
                throw error("expected '" + c + "'");
            }
        }

        private IllegalArgumentException error(final String problem) {
            return new IllegalArgumentException(MAP + ": " + problem + " at character " + at);
        }
    }
}
