package dev.tally.application.port;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Host names to addresses, and this host's own addresses: what the webhook guard asks the network
 * (R77). {@link #SYSTEM} asks the JVM's resolver and {@link NetworkInterface}; a test may answer
 * otherwise, say one address now and another later.
 */
public interface HostResolver {

    /** The JVM's resolver and this machine's interfaces. */
    HostResolver SYSTEM = new HostResolver() {
        @Override
        public List<InetAddress> resolve(String host) throws UnknownHostException {
            return List.of(InetAddress.getAllByName(host));
        }

        @Override
        public List<InetAddress> ownAddresses() {
            try {
                return NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses).toList();
            } catch (SocketException unreadable) {
                // No interfaces to list (none, or not readable here): the other rules still apply.
                return List.of();
            }
        }
    };

    /** Every address {@code host} has now; never empty. */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** Every address of this host's own network interfaces. */
    List<InetAddress> ownAddresses();
}
