package org.borderwatch.alert.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressGuardTest {

    @ParameterizedTest
    @ValueSource(strings = {"10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1", "169.254.1.1", "fd12::1",
            "fe80::1"})
    void shouldRefusePrivateAddressesWhenPrivateIsNotAllowed(final String address) {
        final AddressGuard guard = new AddressGuard(true, false, fixed(address));

        assertThatThrownBy(() -> guard.check("https://hooks.example.org/x"))
                .hasMessageContaining("resolves to").hasMessageContaining("allow-private");
        assertThat(accepts(new AddressGuard(true, true, fixed(address)))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"169.254.169.254", "fd00:ec2::254", "0.0.0.0", "224.0.0.1"})
    void shouldRefuseMetadataUnspecifiedAndMulticastAddressesWhateverIsAllowed(final String address) {
        assertThat(accepts(new AddressGuard(true, true, fixed(address)))).isFalse();
    }

    @Test
    void shouldRefuseLoopbackUnlessAllowed() {
        assertThat(accepts(new AddressGuard(false, true, fixed("127.0.0.1")))).isFalse();
        assertThat(accepts(new AddressGuard(false, true, fixed("::1")))).isFalse();
        assertThat(accepts(new AddressGuard(true, false, fixed("127.0.0.1")))).isTrue();
    }

    @Test
    void shouldAcceptAPublicAddress() {
        assertThat(accepts(new AddressGuard(false, false, fixed("93.184.216.34")))).isTrue();
    }

    @Test
    void shouldRefuseWhenAnyOfTheAddressesIsPrivate() {
        final AddressGuard guard = new AddressGuard(false, false, host -> new InetAddress[] {
                InetAddress.getByName("93.184.216.34"), InetAddress.getByName("10.0.0.1")});

        assertThat(accepts(guard)).isFalse();
    }

    @Test
    void shouldRefuseAtConnectTimeWhenDnsChangedAfterTheSubscription() {
        final AtomicReference<String> dns = new AtomicReference<>("93.184.216.34");
        final AddressGuard guard = new AddressGuard(false, false,
                host -> new InetAddress[] {InetAddress.getByName(dns.get())});
        assertThat(accepts(guard)).isTrue();

        dns.set("169.254.169.254");

        assertThat(accepts(guard)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://hooks.example.org/x", "/relative", "https://user:pw@hooks.example.org/x",
            "not a url", "https:///nohost"})
    void shouldRefuseUrlsThatAreNotPlainHttpWhenChecked(final String url) {
        assertThatThrownBy(() -> new AddressGuard(true, true, fixed("93.184.216.34")).check(url))
                .isInstanceOf(AddressGuard.RefusedException.class);
    }

    @Test
    void shouldRefuseAHostThatDoesNotResolve() {
        final AddressGuard guard = new AddressGuard(true, true, host -> {
            throw new UnknownHostException(host);
        });

        assertThatThrownBy(() -> guard.check("https://nowhere.invalid/")).hasMessageContaining("does not resolve");
    }

    private static AddressGuard.Resolver fixed(final String address) {
        return host -> new InetAddress[] {InetAddress.getByName(address)};
    }

    private static boolean accepts(final AddressGuard guard) {
        try {
            guard.check("https://hooks.example.org/x");
            return true;
        } catch (final AddressGuard.RefusedException e) {
            return false;
        }
    }
}
