package io.bitvision.testkit.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Free ports on 127.0.0.1, found by binding and releasing them. Another process can take such a port before the
 * broker binds it; callers retry when startup fails {@linkplain #causedByBind with a bind error}.
 */
final class LoopbackPorts {

    private LoopbackPorts() {
    }

    /** Whether {@code e} or one of its causes is a {@link BindException}. */
    static boolean causedByBind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    /** Distinct ports free on 127.0.0.1 at the time of the call. */
    static int[] free(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(SingleNodeConfig.HOST));
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free port on " + SingleNodeConfig.HOST, e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // Nothing to do.
                }
            }
        }
    }
}
