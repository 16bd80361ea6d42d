package org.borderwatch.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ApiKeysTest {

    @Test
    void shouldGeneratePrefixedUrlSafeKeysOf32RandomBytesWhenAskedForANewKey() {
        final Set<String> keys = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            final String key = ApiKeys.generate();
            assertThat(key).startsWith("bw_").matches("bw_[A-Za-z0-9_-]{43}");
            assertThat(Base64.getUrlDecoder().decode(key.substring(3))).hasSize(32);
            keys.add(key);
        }
        assertThat(keys).hasSize(100);
    }

    @Test
    void shouldHashToLowerCaseHexSha256WhenGivenAKey() {
        // The example digest in the credentials file documentation is SHA-256("test").
        assertThat(ApiKeys.sha256Hex("test"))
                .isEqualTo("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    }
}
