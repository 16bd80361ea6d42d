package org.borderwatch.service.region;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The reference list of regions an event may name: the built-in list ({@value #BUILT_IN}: Central Asia and
 * Afghanistan) plus, optionally, an operator's file of the same format. Format: UTF-8 CSV with the header
 * {@value #HEADER}; blank lines and lines starting with {@code #} are ignored; names contain no commas.
 */
public final class Regions {

    public static final String BUILT_IN = "/org/borderwatch/service/region/regions.csv";
    public static final String HEADER = "code,name,country,latitude,longitude";

    private static final Pattern CODE = Pattern.compile("[A-Z]{2}-[A-Z0-9]{1,3}");
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private final Map<String, Region> byCode;

    private Regions(final Map<String, Region> byCode) {
        this.byCode = Collections.unmodifiableMap(new LinkedHashMap<>(byCode));
    }

    /** The built-in list. */
    public static Regions builtIn() {
        try (InputStream in = Regions.class.getResourceAsStream(BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException("resource " + BUILT_IN + " is missing from the classpath");
            }
            return new Regions(parse(new InputStreamReader(in, StandardCharsets.UTF_8), BUILT_IN));
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + BUILT_IN, e);
        }
    }

    /**
     * These regions plus those read from {@code reader}; an entry with a code already known replaces it (so an
     * operator can correct a coordinate).
     *
     * @param source names the input in error messages
     */
    public Regions plus(final Reader reader, final String source) throws IOException {
        final Map<String, Region> merged = new LinkedHashMap<>(byCode);
        merged.putAll(parse(reader, source));
        return new Regions(merged);
    }

    public Optional<Region> find(final String code) {
        return Optional.ofNullable(byCode.get(code));
    }

    public boolean contains(final String code) {
        return byCode.containsKey(code);
    }

    /** Every region, in file order. */
    public Collection<Region> all() {
        return byCode.values();
    }

    private static Map<String, Region> parse(final Reader reader, final String source) throws IOException {
        final Map<String, Region> regions = new LinkedHashMap<>();
        final BufferedReader lines = new BufferedReader(reader);
        boolean headerSeen = false;
        int number = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            number++;
            final String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            if (!headerSeen) {
                if (!trimmed.equals(HEADER)) {
                    throw invalid(source, number, "the first line must be the header '" + HEADER + "'");
                }
                headerSeen = true;
                continue;
            }
            final Region region = region(trimmed.split(",", -1), source, number);
            if (regions.put(region.code(), region) != null) {
                throw invalid(source, number, "region " + region.code() + " is listed twice");
            }
        }
        if (!headerSeen) {
            throw invalid(source, number, "no header '" + HEADER + "'");
        }
        return regions;
    }

    private static Region region(final String[] fields, final String source, final int line) {
        if (fields.length != 5) {
            throw invalid(source, line, "expected 5 comma-separated fields (" + HEADER + "), found " + fields.length);
        }
        final String code = fields[0].strip();
        final String name = fields[1].strip();
        final String country = fields[2].strip();
        if (!CODE.matcher(code).matches()) {
            throw invalid(source, line, "'" + code + "' is not an ISO 3166-2 code such as TJ-KT");
        }
        if (!COUNTRIES.contains(country) || !code.startsWith(country + "-")) {
            throw invalid(source, line, "country '" + country + "' must be the ISO 3166-1 alpha-2 prefix of " + code);
        }
        if (name.isEmpty()) {
            throw invalid(source, line, "region " + code + " has no name");
        }
        final double latitude = coordinate(fields[3], 90, source, line);
        final double longitude = coordinate(fields[4], 180, source, line);
        return new Region(code, name, country, latitude, longitude);
    }

    private static double coordinate(final String text, final double bound, final String source, final int line) {
        try {
            final double value = Double.parseDouble(text.strip());
            if (value >= -bound && value <= bound) {
                return value;
            }
        } catch (final NumberFormatException e) {
            // reported below
        }
        throw invalid(source, line, "'" + text.strip() + "' is not a coordinate between -" + bound + " and " + bound);
    }

    private static IllegalArgumentException invalid(final String source, final int line, final String problem) {
        return new IllegalArgumentException(source + ", line " + line + ": " + problem);
    }
}
