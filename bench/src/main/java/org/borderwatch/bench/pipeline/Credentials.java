package org.borderwatch.bench.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * API keys for one run and the credentials file every service reads (format in services/common's README): an admin
 * (publishes for any agency, manages rules) and an operations center that sees every region. Keys have the format
 * of services/common's {@code ApiKeys} ({@code bw_} + 32 random bytes, URL-safe base64); the file holds only their
 * SHA-256 digests.
 */
public record Credentials(String adminKey, String opsKey, Path file) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** New keys, written to {@code dir/credentials.yml}. */
    public static Credentials write(final Path dir) {
        final String admin = generate();
        final String ops = generate();
        final Path file = dir.resolve("credentials.yml");
        try {
            Files.createDirectories(dir);
            Files.writeString(file, """
                    credentials:
                      - {name: bench-admin, key-sha256: %s, role: admin, regions: ["*"]}
                      - {name: bench-ops-center, key-sha256: %s, role: ops-center, regions: ["*"]}
                    """.formatted(sha256Hex(admin), sha256Hex(ops)), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return new Credentials(admin, ops, file.toAbsolutePath());
    }

    /** A new key in the format of services/common's {@code ApiKeys}. */
    public static String generate() {
        final byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "bw_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The digest a credentials file holds for {@code key}. */
    public static String sha256Hex(final String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
