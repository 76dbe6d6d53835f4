package io.bitvision.testkit.faults;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HTTP cameras on 127.0.0.1 that fail: {@code /hang} accepts the request and never answers (a camera whose firmware
 * froze), {@code /garbage} answers 200 with a video content type and streams random bytes at a camera's bit rate
 * until the client leaves (a misconfigured encoder or the wrong port). Given a clip, {@code /stall} sends its first
 * part and then holds the connection open without writing (a camera that stopped mid-stream), and {@code /full}
 * sends all of it and closes. Streams go without a length (chunked), like a live camera's.
 */
public final class BadCameraServer implements AutoCloseable {
    private static final int GARBAGE_BYTES_PER_SECOND = 256 * 1024;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "bad-camera-server");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicInteger hangRequests = new AtomicInteger();
    private final AtomicInteger garbageRequests = new AtomicInteger();
    private final AtomicInteger stallRequests = new AtomicInteger();

    public BadCameraServer() throws IOException {
        this(new byte[0], 0);
    }

    /** Also serves {@code clip}: {@code /stall} stops after {@code stallFraction} of it, {@code /full} sends it all. */
    public BadCameraServer(byte[] clip, double stallFraction) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/stall", exchange -> {
            stallRequests.incrementAndGet();
            send(exchange, clip, (int) (clip.length * stallFraction));
            awaitClose();
            exchange.close();
        });
        server.createContext("/full", exchange -> {
            send(exchange, clip, clip.length);
            exchange.close();
        });
        server.createContext("/hang", exchange -> {
            hangRequests.incrementAndGet();
            awaitClose();
            exchange.close();
        });
        server.createContext("/garbage", this::garbage);
        server.setExecutor(executor);
        server.start();
    }

    /** {@code http://127.0.0.1:PORT} + {@code path}. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** An http URL on a local port nothing listens on (a camera that is switched off). */
    public static String closedPortUrl() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return "http://127.0.0.1:" + port + "/cam";
    }

    /** {@code http://127.0.0.1:PORT/hang}. */
    public String hangUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hang";
    }

    /** {@code http://127.0.0.1:PORT/garbage}. */
    public String garbageUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/garbage";
    }

    public int hangRequests() {
        return hangRequests.get();
    }

    public int garbageRequests() {
        return garbageRequests.get();
    }

    public int stallRequests() {
        return stallRequests.get();
    }

    private static void send(HttpExchange exchange, byte[] bytes, int length) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "video/mp2t");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write(bytes, 0, length);
        out.flush();
    }

    private void garbage(HttpExchange exchange) throws IOException {
        garbageRequests.incrementAndGet();
        exchange.getResponseHeaders().set("Content-Type", "video/mp2t");
        exchange.sendResponseHeaders(200, 0);
        SplittableRandom random = new SplittableRandom(garbageRequests.get());
        byte[] chunk = new byte[GARBAGE_BYTES_PER_SECOND / 10];
        try (OutputStream out = exchange.getResponseBody()) {
            while (!closed.await(100, TimeUnit.MILLISECONDS)) {
                random.nextBytes(chunk);
                out.write(chunk);
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The camera source gave up on it.
        } finally {
            exchange.close();
        }
    }

    private void awaitClose() {
        try {
            closed.await(10, TimeUnit.MINUTES);
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
