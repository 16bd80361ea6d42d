package org.borderwatch.credentials;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The operator's keys that encrypt secrets at rest (webhook signing secrets), as configured:
 * {@code id:base64key,id:base64key,...}, each key 32 random bytes (AES-256). The first key is the active one and
 * encrypts; every listed key decrypts, so a new key is added in front and the old one stays listed until nothing is
 * encrypted with it any more. AES-256-GCM from the JDK: a random 96-bit nonce per encryption, a 128-bit tag, and
 * associated data (the owner's id, e.g. the subscription id) that a ciphertext is bound to, so a ciphertext copied to
 * another record does not decrypt. Neither {@link #toString()} nor any exception message contains a key.
 */
public final class SecretKeyRing {

    /** The environment variable (and configuration key {@code borderwatch.secret-keys}) that holds the keys. */
    public static final String ENV = "BORDERWATCH_SECRET_KEYS";
    public static final int KEY_BYTES = 32;
    public static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One encrypted secret: the id of the key that encrypted it, the nonce, and the ciphertext with its tag. */
    public record Sealed(String keyId, byte[] nonce, byte[] ciphertext) {
    }

    /** A key the configuration is missing, or a configuration that cannot be read; names no key material. */
    public static final class KeyException extends RuntimeException {
        public KeyException(final String message) {
            super(message);
        }
    }

    private final Map<String, SecretKey> keys;
    private final String activeId;

    private SecretKeyRing(final Map<String, SecretKey> keys) {
        this.keys = Collections.unmodifiableMap(keys);
        this.activeId = keys.keySet().iterator().next();
    }

    /**
     * Parses {@code id:base64key,...} (standard or URL-safe base64, padding optional; blanks around entries ignored).
     *
     * @throws KeyException naming the entry (by position and id, never its key) that is wrong
     */
    public static SecretKeyRing parse(final String configured) {
        if (configured == null || configured.isBlank()) {
            throw new KeyException("no secret keys configured: set " + ENV + " to id:base64key (32 random bytes,"
                    + " e.g. `printf 'k1:%s' \"$(head -c 32 /dev/urandom | base64)\"`)");
        }
        final Map<String, SecretKey> keys = new LinkedHashMap<>();
        final String[] entries = configured.split(",");
        for (int i = 0; i < entries.length; i++) {
            final String entry = entries[i].trim();
            final int colon = entry.indexOf(':');
            final String id = colon < 0 ? "" : entry.substring(0, colon);
            final String where = "secret key " + (i + 1) + " of " + ENV;
            if (!ID.matcher(id).matches()) {
                throw new KeyException(where + " is not id:base64key with an id of 1-64 letters, digits, '.', '_'"
                        + " or '-'");
            }
            if (keys.containsKey(id)) {
                throw new KeyException(where + ": the id '" + id + "' is listed twice");
            }
            final byte[] key;
            try {
                key = decode(entry.substring(colon + 1).trim());
            } catch (final IllegalArgumentException e) {
                throw new KeyException(where + " ('" + id + "') is not base64");
            }
            if (key.length != KEY_BYTES) {
                throw new KeyException(where + " ('" + id + "') has " + key.length + " bytes; AES-256 needs "
                        + KEY_BYTES);
            }
            keys.put(id, new SecretKeySpec(key, "AES"));
        }
        return new SecretKeyRing(keys);
    }

    /** A new configuration value with one fresh random key, {@code id:base64key}. */
    public static String generate(final String id) {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a key id has 1-64 letters, digits, '.', '_' or '-'");
        }
        final byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return id + ":" + Base64.getEncoder().encodeToString(key);
    }

    /**
     * The configuration value kept in {@code file}: made once (one new key, owner-only file) and read on every later
     * call, so what was encrypted with it stays readable across restarts. For the dev stack, bench and tests, whose
     * data directory plays the operator; never a committed file.
     */
    public static String ensureFile(final Path file) throws IOException {
        if (!Files.exists(file)) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            final Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), ".secret-keys", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, generate("dev-" + LocalDate.now(ZoneOffset.UTC)) + "\n",
                    StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        }
        final String configured = Files.readString(file, StandardCharsets.UTF_8).trim();
        parse(configured);
        return configured;
    }

    /** The id of the key that encrypts. */
    public String activeId() {
        return activeId;
    }

    public Set<String> ids() {
        return keys.keySet();
    }

    public boolean has(final String keyId) {
        return keys.containsKey(keyId);
    }

    /** Encrypts {@code plaintext} with the active key, bound to {@code associatedData}. */
    public Sealed seal(final byte[] plaintext, final byte[] associatedData) {
        final byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            final Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData);
            return new Sealed(activeId, nonce, cipher.doFinal(plaintext));
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /**
     * Decrypts {@code sealed}, which must have been sealed with the same associated data.
     *
     * @throws KeyException when its key is not listed, or when it does not decrypt (tampered, another owner's, or
     *                      another key under the same id)
     */
    public byte[] open(final Sealed sealed, final byte[] associatedData) {
        final SecretKey key = keys.get(sealed.keyId());
        if (key == null) {
            throw new KeyException("secret encrypted with key '" + sealed.keyId() + "', which " + ENV
                    + " does not list (it lists " + String.join(", ", keys.keySet()) + ")");
        }
        try {
            final Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed.nonce()));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(sealed.ciphertext());
        } catch (final AEADBadTagException e) {
            throw new KeyException("secret encrypted with key '" + sealed.keyId() + "' does not decrypt: the key"
                    + " listed under that id is another one, or the record was altered");
        } catch (final GeneralSecurityException | IllegalArgumentException e) {
            throw new KeyException("secret encrypted with key '" + sealed.keyId() + "' cannot be decrypted: " + e);
        }
    }

    /** The key ids, the active one first; never a key. */
    @Override
    public String toString() {
        return "SecretKeyRing" + new ArrayList<>(keys.keySet()) + " (active " + activeId + ")";
    }

    private static byte[] decode(final String text) {
        final String standard = text.replace('-', '+').replace('_', '/');
        return Base64.getDecoder().decode(standard);
    }
}
