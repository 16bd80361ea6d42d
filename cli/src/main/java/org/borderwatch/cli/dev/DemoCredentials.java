package org.borderwatch.cli.dev;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.borderwatch.credentials.ApiKeys;
import org.borderwatch.credentials.CredentialsWriter;

/**
 * Demo principals of the dev stack: one random key each, made once and kept. The credentials file the services
 * read ({@value #CREDENTIALS}) holds only SHA-256 digests; the plaintext keys go to owner-only files so that the dev
 * command can print them again on the next start: {@value #KEYS} (the record) and {@value #ENV}, the same keys as
 * {@code export} lines for {@code source .borderwatch/demo-keys.env}. A principal added in a later release gets its
 * key on the next start; the others keep theirs.
 */
public final class DemoCredentials {

    static final String KEYS = "demo-keys.txt";
    static final String ENV = "demo-keys.env";
    static final String CREDENTIALS = "credentials.yml";
    /** The principal whose key {@code BORDERWATCH_API_KEY} holds: the key the README's publish examples use. */
    static final String DEFAULT_PUBLISHER = "tj-border-guard";
    /** The principal the console's sign-in line names. */
    static final String CONSOLE_USER = "ops-dushanbe";

    /** A demo principal and its plaintext key. */
    public record DemoKey(String name, String role, String agencyId, String regions, String key) {

        /** The shell variable the README uses for this key: {@code tj-border-guard} → {@code TJ_BORDER_GUARD_KEY}. */
        public String variable() {
            return variable(name);
        }

        public static String variable(final String name) {
            return name.toUpperCase(Locale.ROOT).replace('-', '_') + "_KEY";
        }

        CredentialsWriter.Entry entry() {
            final String[] patterns = regions.split(",");
            return switch (role) {
                case "agency" -> CredentialsWriter.Entry.agency(name, agencyId, key, patterns);
                case "ops-center" -> CredentialsWriter.Entry.opsCenter(name, key, patterns);
                case "analyst" -> CredentialsWriter.Entry.analyst(name, key, patterns);
                default -> CredentialsWriter.Entry.admin(name, key, patterns);
            };
        }
    }

    /** name, role, agency id ("" for none), allowed regions: one agency per country, each only its own regions. */
    private static final List<String[]> PRINCIPALS = List.of(
            new String[] {"tj-border-guard", "agency", "TJ-BORDER-GUARD", "TJ-*"},
            new String[] {"uz-customs", "agency", "UZ-CUSTOMS", "UZ-*"},
            new String[] {"kg-drug-control", "agency", "KG-DRUG-CONTROL", "KG-*"},
            new String[] {"tm-border-service", "agency", "TM-BORDER-SERVICE", "TM-*"},
            new String[] {"af-border-police", "agency", "AF-BORDER-POLICE", "AF-*"},
            new String[] {"ops-dushanbe", "ops-center", "", "TJ-*,AF-*"},
            new String[] {"ops-tashkent", "ops-center", "", "UZ-*"},
            new String[] {"analyst", "analyst", "", "*"},
            new String[] {"admin", "admin", "", "*"});

    private DemoCredentials() {
    }

    /** The demo keys of {@code dir}; the keys and credentials files are (re)written when a principal lacks a key. */
    public static List<DemoKey> ensure(final Path dir) throws IOException {
        final Path keysFile = dir.resolve(KEYS);
        final Map<String, DemoKey> known = new LinkedHashMap<>();
        if (Files.exists(keysFile) && Files.exists(credentialsFile(dir))) {
            read(keysFile).forEach(key -> known.put(key.name(), key));
        }
        final List<DemoKey> keys = new ArrayList<>();
        boolean changed = false;
        for (final String[] p : PRINCIPALS) {
            final DemoKey old = known.get(p[0]);
            final boolean same = old != null && old.role().equals(p[1]) && old.agencyId().equals(p[2])
                    && old.regions().equals(p[3]);
            keys.add(same ? old : new DemoKey(p[0], p[1], p[2], p[3], ApiKeys.generate()));
            changed |= !same;
        }
        changed |= known.size() != keys.size();
        if (changed || !Files.exists(dir.resolve(ENV))) {
            Files.createDirectories(dir);
            final StringBuilder plain = new StringBuilder();
            for (final DemoKey key : keys) {
                plain.append(String.join("\t", key.name(), key.role(), key.agencyId().isEmpty() ? "-" : key.agencyId(),
                        key.regions(), key.key())).append('\n');
            }
            writeOwnerOnly(keysFile, plain.toString());
            writeOwnerOnly(dir.resolve(ENV), exports(keys));
            CredentialsWriter.write(credentialsFile(dir), keys.stream().map(DemoKey::entry).toList());
        }
        return keys;
    }

    public static Path credentialsFile(final Path dir) {
        return dir.resolve(CREDENTIALS);
    }

    /** The demo keys as shell {@code export} lines, one per principal, and BORDERWATCH_API_KEY for publishing. */
    static String exports(final List<DemoKey> keys) {
        final StringBuilder text = new StringBuilder();
        for (final DemoKey key : keys) {
            text.append("export ").append(key.variable()).append('=').append(key.key()).append('\n');
        }
        find(keys, DEFAULT_PUBLISHER).ifPresent(key ->
                text.append("export BORDERWATCH_API_KEY=").append(key.key()).append('\n'));
        return text.toString();
    }

    static Optional<DemoKey> find(final List<DemoKey> keys, final String name) {
        return keys.stream().filter(key -> key.name().equals(name)).findFirst();
    }

    private static List<DemoKey> read(final Path keysFile) throws IOException {
        final List<DemoKey> keys = new ArrayList<>();
        for (final String line : Files.readAllLines(keysFile, StandardCharsets.UTF_8)) {
            final String[] f = line.split("\t");
            if (f.length == 5) {
                keys.add(new DemoKey(f[0], f[1], "-".equals(f[2]) ? "" : f[2], f[3], f[4]));
            }
        }
        return keys;
    }

    private static void writeOwnerOnly(final Path file, final String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
