package org.borderwatch.service.security;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of the credentials file: the SHA-256 digest of an API key and the principal a request presenting that
 * key acts as. The key itself is never held.
 */
public record Credential(byte[] keySha256, BorderwatchPrincipal principal) {

    public Credential {
        Objects.requireNonNull(principal, "principal");
        if (keySha256 == null || keySha256.length != 32) {
            throw new IllegalArgumentException("a SHA-256 digest has 32 bytes");
        }
        keySha256 = keySha256.clone();
    }

    @Override
    public byte[] keySha256() {
        return keySha256.clone();
    }

    /** Constant-time comparison with a presented key's digest. */
    public boolean matches(final byte[] presentedDigest) {
        return MessageDigest.isEqual(keySha256, presentedDigest);
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof Credential that && Arrays.equals(keySha256, that.keySha256)
                && principal.equals(that.principal);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(keySha256) + principal.hashCode();
    }

    /** Names the holder and omits the digest. */
    @Override
    public String toString() {
        return "Credential[" + principal + "]";
    }
}
