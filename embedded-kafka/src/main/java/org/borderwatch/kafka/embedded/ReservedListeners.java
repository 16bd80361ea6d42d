package org.borderwatch.kafka.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.server.ServerSocketFactory;

/**
 * The listening sockets of one node, bound on 127.0.0.1 before the node starts, so that a port picked by the
 * operating system ({@code port 0}) cannot be taken by someone else between picking and listening, and a taken
 * fixed port fails before any storage is touched. The node's first start listens on these sockets; a restart
 * binds the same ports again.
 */
final class ReservedListeners implements ServerSocketFactory {

    static final String LOOPBACK = "127.0.0.1";

    /** Kafka's default {@code socket.listen.backlog.size}. */
    private static final int BACKLOG = 50;

    private final Map<String, Integer> ports = new HashMap<>();
    private final Map<String, ServerSocketChannel> unclaimed = new HashMap<>();

    /**
     * Binds {@code 127.0.0.1:port} for {@code listener}.
     *
     * @param port a fixed port, or 0 for any free one
     * @return the bound port
     * @throws IllegalStateException if the port is in use
     */
    synchronized int reserve(final String listener, final int port) {
        if (ports.containsKey(listener)) {
            return ports.get(listener);
        }
        try {
            final ServerSocketChannel channel = ServerSocketChannel.open();
            try {
                // Kafka's acceptor registers the channel with a selector: it must be non-blocking.
                channel.configureBlocking(false);
                channel.bind(new InetSocketAddress(LOOPBACK, port), BACKLOG);
            } catch (final IOException e) {
                Utils.closeQuietly(channel, "reserved " + listener + " socket");
                throw e;
            }
            final int bound = ((InetSocketAddress) channel.getLocalAddress()).getPort();
            ports.put(listener, bound);
            unclaimed.put(listener, channel);
            return bound;
        } catch (final BindException e) {
            throw new IllegalStateException(LOOPBACK + ":" + port + " is already in use (is another broker "
                    + "running?); stop it or choose another port", e);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot listen on " + LOOPBACK + ":" + port, e);
        }
    }

    /** Records the port of a listener that another process binds. */
    synchronized void assume(final String listener, final int port) {
        ports.put(listener, port);
    }

    synchronized int port(final String listener) {
        final Integer port = ports.get(listener);
        if (port == null) {
            throw new IllegalStateException("no port reserved for listener " + listener);
        }
        return port;
    }

    @Override
    public synchronized ServerSocketChannel openServerSocket(final String listenerName,
                                                             final InetSocketAddress socketAddress,
                                                             final int listenBacklogSize,
                                                             final int recvBufferSize) throws IOException {
        final ServerSocketChannel reserved = unclaimed.remove(listenerName);
        if (reserved != null) {
            return reserved;
        }
        // A restart: the node's stopped socket server closed our socket. Server sockets are opened with
        // SO_REUSEADDR, so connections still in TIME_WAIT on this port do not block binding it again.
        return ServerSocketFactory.INSTANCE.openServerSocket(listenerName, socketAddress, listenBacklogSize,
                recvBufferSize);
    }

    /** Closes the sockets that no socket server took over (those it took, it closes itself). */
    synchronized void releaseUnclaimed() {
        unclaimed.forEach((listener, channel) -> Utils.closeQuietly(channel, "reserved " + listener + " socket"));
        unclaimed.clear();
    }
}
