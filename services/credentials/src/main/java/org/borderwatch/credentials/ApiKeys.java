package org.borderwatch.credentials;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Creates API keys and the SHA-256 digests that the credentials file stores instead of them. The services compare
 * presented keys by {@link #sha256(String)}; the dev stack, bench and tests make keys with {@link #generate()} and
 * write their digests with {@link CredentialsWriter}.
 */
public final class ApiKeys {

    /** Marks a borderwatch key, so a leaked one is easy to recognise in a secret scanner. */
    public static final String PREFIX = "bw_";

    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    /** A new key: {@value #PREFIX} followed by 32 random bytes in URL-safe base64 without padding. */
    public static String generate() {
        final byte[] bytes = new byte[KEY_BYTES];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The SHA-256 digest of the key's UTF-8 bytes. */
    public static byte[] sha256(final String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must support SHA-256", e);
        }
    }

    /** The digest as 64 lower-case hex characters, the form the credentials file holds. */
    public static String sha256Hex(final String key) {
        return HexFormat.of().formatHex(sha256(key));
    }
}
