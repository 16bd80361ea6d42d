package org.borderwatch.service.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads the operator's credentials file. Format (YAML):
 * <pre>
 * credentials:
 *   - name: tj-border-guard          # unique; appears in logs
 *     key-sha256: 9f86d0...0f00a08   # 64 hex characters: SHA-256 of the API key
 *     role: agency                   # agency | ops-center | analyst | admin
 *     agency-id: TJ-BORDER-GUARD     # required for role agency
 *     regions: ["TJ-*"]              # ISO 3166-2 codes, country prefixes like TJ-*, or *
 * </pre>
 * Anything else is refused with a message naming the file, the entry and the key, so a typo never turns into a
 * silently weaker configuration.
 */
public final class CredentialsFile {

    static final String ROOT = "credentials";
    static final String NAME = "name";
    static final String KEY_SHA256 = "key-sha256";
    static final String ROLE = "role";
    static final String AGENCY_ID = "agency-id";
    static final String REGIONS = "regions";

    private static final Set<String> KEYS = Set.of(NAME, KEY_SHA256, ROLE, AGENCY_ID, REGIONS);
    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final int MAX_TEXT = 200;

    private CredentialsFile() {
    }

    /** Reads and checks the file; {@link InvalidCredentialsException} says what is wrong and where. */
    public static List<Credential> read(final Path path) {
        final String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (final NoSuchFileException e) {
            throw new InvalidCredentialsException("credentials file " + path.toAbsolutePath() + " does not exist");
        } catch (final IOException e) {
            throw new InvalidCredentialsException("cannot read credentials file " + path.toAbsolutePath() + ": " + e);
        }
        return parse(text, path.toAbsolutePath().toString());
    }

    /** Parses {@code yaml}; {@code source} names it in error messages. */
    public static List<Credential> parse(final String yaml, final String source) {
        final Object document;
        try {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (final YAMLException e) {
            throw new InvalidCredentialsException("credentials file " + source + " is not valid YAML: "
                    + e.getMessage());
        }
        if (!(document instanceof Map<?, ?> root) || !(root.get(ROOT) instanceof List<?> entries)) {
            throw new InvalidCredentialsException("credentials file " + source
                    + " must be a YAML mapping with a list '" + ROOT + "'");
        }
        if (root.size() != 1) {
            throw new InvalidCredentialsException("credentials file " + source + " may only contain '" + ROOT
                    + "'; found " + root.keySet());
        }
        if (entries.isEmpty()) {
            throw new InvalidCredentialsException("credentials file " + source
                    + " lists no credentials, so nobody could use the API");
        }
        final List<Credential> credentials = new ArrayList<>();
        final Set<String> names = new HashSet<>();
        final Set<String> digests = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            final Credential credential = entry(entries.get(i), source + ", entry " + (i + 1));
            if (!names.add(credential.principal().name())) {
                throw new InvalidCredentialsException(source + ", entry " + (i + 1) + ": name '"
                        + credential.principal().name() + "' is used twice");
            }
            if (!digests.add(HexFormat.of().formatHex(credential.keySha256()))) {
                throw new InvalidCredentialsException(source + ", entry " + (i + 1) + " ('"
                        + credential.principal().name() + "'): the same key is already given to another entry");
            }
            credentials.add(credential);
        }
        return List.copyOf(credentials);
    }

    private static Credential entry(final Object node, final String where) {
        if (!(node instanceof Map<?, ?> map)) {
            throw new InvalidCredentialsException(where + ": must be a mapping with " + KEYS);
        }
        for (final Object key : map.keySet()) {
            if (!KEYS.contains(String.valueOf(key))) {
                throw new InvalidCredentialsException(where + ": unknown key '" + key + "'; known keys: " + KEYS);
            }
        }
        final String name = text(map, NAME, where);
        final String at = where + " ('" + name + "')";
        final String digest = text(map, KEY_SHA256, at);
        if (!HEX_SHA256.matcher(digest).matches()) {
            throw new InvalidCredentialsException(at + ": '" + KEY_SHA256
                    + "' must be 64 hex characters, the SHA-256 of the API key (not the key itself)");
        }
        final String roleId = text(map, ROLE, at);
        final Role role = Role.fromId(roleId).orElseThrow(() -> new InvalidCredentialsException(at + ": role '"
                + roleId + "' is not one of agency, ops-center, analyst, admin"));
        final String agencyId = map.get(AGENCY_ID) == null ? null : text(map, AGENCY_ID, at);
        if (role == Role.AGENCY && agencyId == null) {
            throw new InvalidCredentialsException(at + ": role agency needs '" + AGENCY_ID + "'");
        }
        return new Credential(HexFormat.of().parseHex(digest),
                new BorderwatchPrincipal(name, role, agencyId, regions(map, at)));
    }

    private static String text(final Map<?, ?> map, final String key, final String where) {
        final Object value = map.get(key);
        if (value == null) {
            throw new InvalidCredentialsException(where + ": '" + key + "' is missing");
        }
        if (!(value instanceof String text) || text.isBlank() || text.length() > MAX_TEXT) {
            throw new InvalidCredentialsException(where + ": '" + key + "' must be a non-empty string of at most "
                    + MAX_TEXT + " characters");
        }
        return text.strip();
    }

    private static List<String> regions(final Map<?, ?> map, final String where) {
        if (!(map.get(REGIONS) instanceof List<?> list) || list.isEmpty()) {
            throw new InvalidCredentialsException(where + ": '" + REGIONS
                    + "' must be a non-empty list, e.g. [\"TJ-*\"] or [\"*\"]");
        }
        final List<String> regions = new ArrayList<>();
        for (final Object region : list) {
            if (!(region instanceof String pattern) || !RegionPatterns.isValid(pattern)) {
                throw new InvalidCredentialsException(where + ": region '" + region
                        + "' is not an ISO 3166-2 code (TJ-KT), a country prefix (TJ-*) or *");
            }
            regions.add(pattern);
        }
        return regions;
    }
}
