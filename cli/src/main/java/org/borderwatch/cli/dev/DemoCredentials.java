package org.borderwatch.cli.dev;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.borderwatch.service.security.ApiKeys;

/**
 * Demo principals for the dev stack: one random key each, written once. The credentials file the services read
 * holds only SHA-256 hashes; the plaintext keys go to a separate owner-only file so that the dev command can print
 * them again on the next start. Never used outside {@code borderwatch dev}.
 */
public final class DemoCredentials {

    /** A demo principal and its plaintext key. */
    public record DemoKey(String name, String role, String agencyId, String regions, String key) {
    }

    private static final List<String[]> PRINCIPALS = List.of(
            // name, role, agency id, allowed regions
            new String[] {"tj-border-guard", "agency", "TJ-BORDER-GUARD", "TJ-*"},
            new String[] {"uz-customs", "agency", "UZ-CUSTOMS", "UZ-*"},
            new String[] {"kg-drug-control", "agency", "KG-DRUG-CONTROL", "KG-*"},
            new String[] {"ops-dushanbe", "ops-center", "", "TJ-*,AF-*"},
            new String[] {"analyst", "analyst", "", "*"},
            new String[] {"admin", "admin", "", "*"});

    private DemoCredentials() {
    }

    /** The demo keys of {@code dir}, created (with the hashed credentials file) on the first call. */
    public static List<DemoKey> ensure(final Path dir) throws IOException {
        final Path keysFile = dir.resolve("demo-keys.txt");
        final Path credentialsFile = credentialsFile(dir);
        if (Files.exists(keysFile) && Files.exists(credentialsFile)) {
            return read(keysFile);
        }
        Files.createDirectories(dir);
        final List<DemoKey> keys = new ArrayList<>();
        final StringBuilder yaml = new StringBuilder("# Demo credentials of the dev stack; keys are stored as SHA-256 hashes.\n"
                + "credentials:\n");
        final StringBuilder plain = new StringBuilder();
        for (final String[] p : PRINCIPALS) {
            final String key = ApiKeys.generate();
            keys.add(new DemoKey(p[0], p[1], p[2], p[3], key));
            yaml.append("  - name: ").append(p[0]).append('\n')
                    .append("    key-sha256: ").append(ApiKeys.sha256Hex(key)).append('\n')
                    .append("    role: ").append(p[1]).append('\n');
            if (!p[2].isEmpty()) {
                yaml.append("    agency-id: ").append(p[2]).append('\n');
            }
            yaml.append("    regions: [").append(quoteAll(p[3])).append("]\n");
            plain.append(String.join("\t", p[0], p[1], p[2].isEmpty() ? "-" : p[2], p[3], key)).append('\n');
        }
        writeOwnerOnly(keysFile, plain.toString());
        writeOwnerOnly(credentialsFile, yaml.toString());
        return keys;
    }

    public static Path credentialsFile(final Path dir) {
        return dir.resolve("credentials.yml");
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

    private static String quoteAll(final String regions) {
        final List<String> quoted = new ArrayList<>();
        for (final String region : regions.split(",")) {
            quoted.add('"' + region + '"');
        }
        return String.join(", ", quoted);
    }

    private static void writeOwnerOnly(final Path file, final String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
