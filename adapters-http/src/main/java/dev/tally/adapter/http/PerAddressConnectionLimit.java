package dev.tally.adapter.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.eclipse.jetty.io.Connection;

/**
 * Caps the open connections from one client address (R65): a connection beyond the cap is closed
 * as soon as it opens, so one client cannot take every connection the server allows in total.
 */
final class PerAddressConnectionLimit implements Connection.Listener {

    private final int max;
    private final ConcurrentMap<InetAddress, Integer> open = new ConcurrentHashMap<>();
    /** Each admitted connection's address, kept: a closed socket no longer tells its remote address. */
    private final ConcurrentMap<Connection, InetAddress> admitted = new ConcurrentHashMap<>();

    PerAddressConnectionLimit(int max) {
        this.max = max;
    }

    @Override
    public void onOpened(Connection connection) {
        InetAddress address = addressOf(connection);
        if (address == null) {
            return;
        }
        if (open.merge(address, 1, Integer::sum) > max) {
            release(address);
            connection.getEndPoint().close();
        } else {
            admitted.put(connection, address);
        }
    }

    @Override
    public void onClosed(Connection connection) {
        InetAddress address = admitted.remove(connection);
        if (address != null) {
            release(address);
        }
    }

    private void release(InetAddress address) {
        open.computeIfPresent(address, (ignored, count) -> count == 1 ? null : count - 1);
    }

    private static InetAddress addressOf(Connection connection) {
        SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
