package org.borderwatch.service.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.borderwatch.credentials.ApiKeys;
import org.junit.jupiter.api.Test;

class CredentialStoreTest {

    private static final List<String> KEYS = IntStream.range(0, 50).mapToObj(i -> ApiKeys.generate()).toList();

    private static CredentialStore store() {
        final List<Credential> credentials = new ArrayList<>();
        for (int i = 0; i < KEYS.size(); i++) {
            credentials.add(new Credential(ApiKeys.sha256(KEYS.get(i)),
                    new BorderwatchPrincipal("agency-" + i, Role.AGENCY, "AGENCY-" + i, List.of("TJ-*"))));
        }
        return new CredentialStore(credentials);
    }

    @Test
    void shouldFindThePrincipalWhenAnyStoredKeyIsPresented() {
        final CredentialStore store = store();
        for (int i = 0; i < KEYS.size(); i++) {
            assertThat(store.authenticate(KEYS.get(i))).get()
                    .extracting(BorderwatchPrincipal::agencyId).isEqualTo("AGENCY-" + i);
        }
    }

    @Test
    void shouldFindNothingWhenTheKeyIsUnknownOrOnlyAlmostRight() {
        final CredentialStore store = store();
        final String key = KEYS.get(0);
        assertThat(store.authenticate(ApiKeys.generate())).isEmpty();
        assertThat(store.authenticate(key.substring(0, key.length() - 1))).isEmpty();
        assertThat(store.authenticate(key + " ")).isEmpty();
        assertThat(store.authenticate("")).isEmpty();
        // The digest is not a key: presenting what the file holds must not authenticate.
        assertThat(store.authenticate(ApiKeys.sha256Hex(key))).isEmpty();
    }

    @Test
    void shouldRefuseToStartWhenNoCredentialsFileIsConfigured() {
        assertThatThrownBy(() -> new CredentialStore((String) null))
                .isInstanceOf(InvalidCredentialsException.class)
                .hasMessageContaining("borderwatch.security.credentials-file")
                .hasMessageContaining("BORDERWATCH_SECURITY_CREDENTIALS_FILE");
    }

    @Test
    void shouldNeverPrintTheDigestWhenACredentialIsLogged() {
        final Credential credential = new Credential(ApiKeys.sha256("test"),
                new BorderwatchPrincipal("ops", Role.OPS_CENTER, null, List.of("*")));
        assertThat(credential.toString()).contains("ops").doesNotContain(ApiKeys.sha256Hex("test").substring(0, 8));
    }
}
