package org.borderwatch.alert.delivery.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * SSRF guard for webhook URLs: refuses URLs that are not absolute http(s) URLs, and hosts that resolve to a loopback,
 * private (RFC 1918), shared (100.64/10), link-local, unique-local (fc00::/7), unspecified, multicast or cloud-metadata
 * address — any one of its addresses is enough. Loopback and private ranges can be allowed by the operator; the
 * metadata addresses never are. Checked when a subscription is made and again before every attempt, since DNS can
 * change in between.
 */
public final class AddressGuard {

    /** Why a URL is refused; the message is shown to the API client. */
    public static final class RefusedException extends Exception {
        public RefusedException(final String message) {
            super(message, null, false, false);
        }
    }

    /** Resolves a host name; tests substitute DNS. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private static final Set<String> METADATA = Set.of("169.254.169.254", "169.254.170.2", "100.100.100.200",
            "fd00:ec2:0:0:0:0:0:254");

    private final boolean allowLoopback;
    private final boolean allowPrivate;
    private final Resolver resolver;

    public AddressGuard(final boolean allowLoopback, final boolean allowPrivate, final Resolver resolver) {
        this.allowLoopback = allowLoopback;
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    public AddressGuard(final boolean allowLoopback, final boolean allowPrivate) {
        this(allowLoopback, allowPrivate, InetAddress::getAllByName);
    }

    /** Returns the URI when acceptable, else throws with a reason. */
    public URI check(final String url) throws RefusedException {
        final URI uri;
        try {
            uri = new URI(url);
        } catch (final java.net.URISyntaxException e) {
            throw new RefusedException("'" + url + "' is not a URL");
        }
        final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !List.of("http", "https").contains(scheme) || uri.getHost() == null) {
            throw new RefusedException("a webhook URL must be an absolute http:// or https:// URL with a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new RefusedException("a webhook URL may not carry credentials (user:password@)");
        }
        final InetAddress[] addresses;
        try {
            addresses = resolver.resolve(uri.getHost());
        } catch (final UnknownHostException e) {
            throw new RefusedException("host " + uri.getHost() + " does not resolve");
        }
        for (final InetAddress address : addresses) {
            final String refusal = refusal(address);
            if (refusal != null) {
                throw new RefusedException("host " + uri.getHost() + " resolves to " + address.getHostAddress()
                        + ", " + refusal);
            }
        }
        return uri;
    }

    private String refusal(final InetAddress address) {
        if (METADATA.contains(address.getHostAddress())) {
            return "a cloud metadata address";
        }
        if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return "an unspecified or multicast address";
        }
        if (address.isLoopbackAddress()) {
            return allowLoopback ? null : "a loopback address (allowed only with"
                    + " borderwatch.alert.webhooks.allow-loopback)";
        }
        if (isPrivate(address)) {
            return allowPrivate ? null : "a private, shared, link-local or unique-local address (allowed only with"
                    + " borderwatch.alert.webhooks.allow-private)";
        }
        return null;
    }

    private static boolean isPrivate(final InetAddress address) {
        if (address.isSiteLocalAddress() || address.isLinkLocalAddress()) {
            return true;
        }
        final byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            // 100.64.0.0/10 (carrier-grade NAT, used by some clouds for internal services)
            return (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64;
        }
        if (address instanceof Inet6Address) {
            return (bytes[0] & 0xfe) == 0xfc; // fc00::/7 unique local
        }
        return false;
    }
}
