package org.borderwatch.credentials;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Writes the credentials file every service reads (format: services/common's README; read back by its
 * {@code CredentialsFile}): one entry per principal with the SHA-256 of its key, never the key. The one place that
 * produces the format, so the dev stack, bench and tests cannot drift from what the services accept.
 */
public final class CredentialsWriter {

    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");

    private CredentialsWriter() {
    }

    /**
     * One principal.
     *
     * @param role      {@code agency}, {@code ops-center}, {@code analyst} or {@code admin} (use the factories)
     * @param agencyId  the agency it publishes for; only for role {@code agency}, else null
     * @param regions   ISO 3166-2 codes, country prefixes such as {@code TJ-*}, or {@code *}
     * @param keySha256 64 lower-case hex characters: {@link ApiKeys#sha256Hex(String)} of its key
     */
    public record Entry(String name, String role, String agencyId, List<String> regions, String keySha256) {

        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(role, "role");
            regions = List.copyOf(regions);
            if (regions.isEmpty()) {
                throw new IllegalArgumentException(name + ": a credential needs at least one region pattern");
            }
            if (!DIGEST.matcher(keySha256).matches()) {
                throw new IllegalArgumentException(name + ": keySha256 must be 64 lower-case hex characters");
            }
            if ("agency".equals(role) != (agencyId != null)) {
                throw new IllegalArgumentException(name + ": an agency-id is given for role agency and only for it");
            }
        }

        /** A border agency that publishes as {@code agencyId}. */
        public static Entry agency(final String name, final String agencyId, final String key, final String... regions) {
            return new Entry(name, "agency", agencyId, List.of(regions), ApiKeys.sha256Hex(key));
        }

        /** An operations center: receives and acknowledges alerts of its regions. */
        public static Entry opsCenter(final String name, final String key, final String... regions) {
            return new Entry(name, "ops-center", null, List.of(regions), ApiKeys.sha256Hex(key));
        }

        public static Entry analyst(final String name, final String key, final String... regions) {
            return new Entry(name, "analyst", null, List.of(regions), ApiKeys.sha256Hex(key));
        }

        public static Entry admin(final String name, final String key, final String... regions) {
            return new Entry(name, "admin", null, List.of(regions), ApiKeys.sha256Hex(key));
        }
    }

    /** The file's YAML text. */
    public static String yaml(final List<Entry> entries) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a credentials file lists at least one credential");
        }
        final StringBuilder yaml = new StringBuilder("# borderwatch credentials: SHA-256 digests of API keys, never the keys.\n"
                + "credentials:\n");
        for (final Entry entry : entries) {
            yaml.append("  - name: ").append(quote(entry.name())).append('\n')
                    .append("    key-sha256: ").append(entry.keySha256()).append('\n')
                    .append("    role: ").append(entry.role()).append('\n');
            if (entry.agencyId() != null) {
                yaml.append("    agency-id: ").append(quote(entry.agencyId())).append('\n');
            }
            final List<String> regions = new ArrayList<>();
            entry.regions().forEach(region -> regions.add(quote(region)));
            yaml.append("    regions: [").append(String.join(", ", regions)).append("]\n");
        }
        return yaml.toString();
    }

    /**
     * Writes {@code file} (replacing it atomically), readable by its owner only where the file system has POSIX
     * permissions: digests are not keys, but there is no reason to show who holds which.
     *
     * @return {@code file}, absolute
     */
    public static Path write(final Path file, final List<Entry> entries) {
        final String text = yaml(entries);
        final Path target = file.toAbsolutePath();
        try {
            Files.createDirectories(target.getParent());
            final Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
            Files.deleteIfExists(temporary);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(temporary, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write credentials file " + target, e);
        }
    }

    /** A YAML double-quoted scalar, so a name such as {@code yes} or {@code *} stays a string. */
    private static String quote(final String text) {
        final StringBuilder quoted = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("control character in credentials text: " + text);
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
