package io.bitvision.operators.source.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP server that behaves like (dead) cameras: {@code /stall} sends the first part of a clip and then
 * keeps the connection open without writing; {@code /hang} accepts the request and never answers; {@code /full}
 * sends the whole clip and closes. Streams are sent
 * without a length (chunked), like a live camera.
 */
public final class ClipServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "clip-server");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicInteger stallRequests = new AtomicInteger();

    public ClipServer(byte[] clip, double stallFraction) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/stall", exchange -> {
            stallRequests.incrementAndGet();
            send(exchange, clip, (int) (clip.length * stallFraction));
            holdOpen();
        });
        server.createContext("/hang", exchange -> holdOpen());
        server.createContext("/full", exchange -> {
            send(exchange, clip, clip.length);
            exchange.close();
        });
        server.setExecutor(executor);
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public int stallRequests() {
        return stallRequests.get();
    }

    /** An http URL on a local port nothing listens on. */
    public static String closedPortUrl() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return "http://127.0.0.1:" + port + "/cam";
    }

    private static void send(HttpExchange exchange, byte[] bytes, int length) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "video/mp2t");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write(bytes, 0, length);
        out.flush();
    }

    private void holdOpen() {
        try {
            closed.await(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
