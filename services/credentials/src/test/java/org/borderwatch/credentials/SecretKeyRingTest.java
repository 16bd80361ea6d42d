package org.borderwatch.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretKeyRingTest {

    private static final byte[] SECRET = "whsec_c2VjcmV0IG9mIGEgd2ViaG9vaw==".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OWNER = "sub_1".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldDecryptWhatItEncryptedWhenTheOwnerIsTheSame() {
        final SecretKeyRing ring = SecretKeyRing.parse(SecretKeyRing.generate("k1"));

        final SecretKeyRing.Sealed sealed = ring.seal(SECRET, OWNER);

        assertThat(sealed.keyId()).isEqualTo("k1");
        assertThat(sealed.nonce()).hasSize(12);
        assertThat(sealed.ciphertext()).hasSize(SECRET.length + 16);
        assertThat(new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain("whsec_");
        assertThat(ring.open(sealed, OWNER)).isEqualTo(SECRET);
    }

    @Test
    void shouldUseAFreshNonceWhenTheSameSecretIsEncryptedTwice() {
        final SecretKeyRing ring = SecretKeyRing.parse(SecretKeyRing.generate("k1"));

        assertThat(ring.seal(SECRET, OWNER).nonce()).isNotEqualTo(ring.seal(SECRET, OWNER).nonce());
        assertThat(ring.seal(SECRET, OWNER).ciphertext()).isNotEqualTo(ring.seal(SECRET, OWNER).ciphertext());
    }

    @Test
    void shouldRefuseToDecryptWhenTheCiphertextIsMovedToAnotherOwnerOrAltered() {
        final SecretKeyRing ring = SecretKeyRing.parse(SecretKeyRing.generate("k1"));
        final SecretKeyRing.Sealed sealed = ring.seal(SECRET, OWNER);
        final byte[] altered = sealed.ciphertext().clone();
        altered[0] ^= 1;

        assertThatThrownBy(() -> ring.open(sealed, "sub_2".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SecretKeyRing.KeyException.class).hasMessageContaining("'k1' does not decrypt");
        assertThatThrownBy(() -> ring.open(new SecretKeyRing.Sealed("k1", sealed.nonce(), altered), OWNER))
                .isInstanceOf(SecretKeyRing.KeyException.class);
    }

    @Test
    void shouldEncryptWithTheFirstKeyAndDecryptWithEveryListedKeyWhenRotating() {
        final String k1 = SecretKeyRing.generate("k1");
        final String k2 = SecretKeyRing.generate("k2");
        final SecretKeyRing.Sealed old = SecretKeyRing.parse(k1).seal(SECRET, OWNER);

        final SecretKeyRing rotated = SecretKeyRing.parse(k2 + ", " + k1);

        assertThat(rotated.activeId()).isEqualTo("k2");
        assertThat(rotated.seal(SECRET, OWNER).keyId()).isEqualTo("k2");
        assertThat(rotated.open(old, OWNER)).isEqualTo(SECRET);
        assertThat(rotated.ids()).containsExactly("k2", "k1");
    }

    @Test
    void shouldNameTheKeyIdButNeverTheKeyWhenAKeyIsMissingOrWrong() {
        final String k1 = SecretKeyRing.generate("k1");
        final String otherK1 = SecretKeyRing.generate("k1");
        final String k2 = SecretKeyRing.generate("k2");
        final SecretKeyRing.Sealed sealed = SecretKeyRing.parse(k1).seal(SECRET, OWNER);

        assertThatThrownBy(() -> SecretKeyRing.parse(k2).open(sealed, OWNER))
                .hasMessageContaining("key 'k1'").hasMessageContaining("lists k2")
                .hasMessageNotContaining(material(k1)).hasMessageNotContaining(material(k2));
        assertThatThrownBy(() -> SecretKeyRing.parse(otherK1).open(sealed, OWNER))
                .hasMessageContaining("'k1' does not decrypt").hasMessageNotContaining(material(otherK1));
        assertThat(SecretKeyRing.parse(k2 + "," + k1).toString()).contains("k2", "k1")
                .doesNotContain(material(k1), material(k2));
    }

    @Test
    void shouldRefuseAConfigurationWhenAnEntryIsNotAnIdAnd32Base64Bytes() {
        final String shortKey = Base64.getEncoder().encodeToString(new byte[31]);
        assertThatThrownBy(() -> SecretKeyRing.parse(" ")).hasMessageContaining(SecretKeyRing.ENV);
        assertThatThrownBy(() -> SecretKeyRing.parse("k1:" + shortKey))
                .hasMessage("secret key 1 of BORDERWATCH_SECRET_KEYS ('k1') has 31 bytes; AES-256 needs 32");
        assertThatThrownBy(() -> SecretKeyRing.parse(SecretKeyRing.generate("k1") + ",no-colon"))
                .hasMessageStartingWith("secret key 2 of BORDERWATCH_SECRET_KEYS is not id:base64key");
        assertThatThrownBy(() -> SecretKeyRing.parse("k1:%%%")).hasMessageContaining("('k1') is not base64");
        final String k1 = SecretKeyRing.generate("k1");
        assertThatThrownBy(() -> SecretKeyRing.parse(k1 + "," + k1)).hasMessageContaining("'k1' is listed twice")
                .hasMessageNotContaining(material(k1));
    }

    @Test
    void shouldAcceptUrlSafeBase64WithoutPaddingWhenParsing() {
        final byte[] key = new byte[32];
        key[0] = (byte) 0xfb;
        key[1] = (byte) 0xff;
        final String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(key);

        assertThat(SecretKeyRing.parse("k1:" + urlSafe).ids()).containsExactly("k1");
    }

    @Test
    void shouldMakeTheKeyFileOnceOwnerOnlyAndReadTheSameKeyLaterWhenEnsuring(@TempDir final Path dir)
            throws IOException {
        final Path file = dir.resolve("state").resolve("secret-keys");

        final String first = SecretKeyRing.ensureFile(file);
        final String again = SecretKeyRing.ensureFile(file);

        assertThat(again).isEqualTo(first);
        assertThat(SecretKeyRing.parse(first).ids()).hasSize(1);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        final SecretKeyRing.Sealed sealed = SecretKeyRing.parse(first).seal(SECRET, OWNER);
        assertThat(SecretKeyRing.parse(again).open(sealed, OWNER)).isEqualTo(SECRET);
    }

    private static String material(final String entry) {
        return entry.substring(entry.indexOf(':') + 1);
    }
}
