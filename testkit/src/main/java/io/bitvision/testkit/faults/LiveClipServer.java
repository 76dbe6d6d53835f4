package io.bitvision.testkit.faults;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP camera on 127.0.0.1 that streams an MPEG-TS clip as a live feed: each request gets the clip from its start,
 * paced so that its bytes arrive over the clip's duration, looped, without a length (chunked), like an IP camera's
 * stream. {@link #unplug()} cuts every open stream and refuses new connections (the camera lost power or its network);
 * {@link #plug()} serves again on the same port.
 */
public final class LiveClipServer implements AutoCloseable {
    private static final int CHUNKS_PER_SECOND = 20;

    private final byte[] clip;
    private final long bytesPerSecond;
    private final int port;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicLong bytesSent = new AtomicLong();
    private ExecutorService executor;
    private HttpServer server;

    /**
     * @param clip    an MPEG-TS file (see {@link TransportStreamClip})
     * @param seconds how long the clip plays: its bytes are spread over this time
     */
    public LiveClipServer(Path clip, double seconds) throws IOException {
        this.clip = Files.readAllBytes(Objects.requireNonNull(clip, "clip"));
        if (this.clip.length == 0) {
            throw new IllegalArgumentException(clip + " is empty");
        }
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("seconds must be positive, was " + seconds);
        }
        this.bytesPerSecond = Math.max(1, Math.round(this.clip.length / seconds));
        this.server = start(0);
        this.port = server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT/live}. */
    public String url() {
        return "http://127.0.0.1:" + port + "/live";
    }

    /** Connections accepted so far (a camera source that reconnects opens a new one). */
    public int connections() {
        return connections.get();
    }

    public long bytesSent() {
        return bytesSent.get();
    }

    public synchronized boolean plugged() {
        return server != null;
    }

    /** Cuts the open streams and stops listening. Does nothing when already unplugged. */
    public synchronized void unplug() {
        if (server == null) {
            return;
        }
        server.stop(0);
        executor.shutdownNow();
        server = null;
    }

    /** Listens again on the same port. Does nothing when plugged. */
    public synchronized void plug() throws IOException {
        if (server == null) {
            server = start(port);
        }
    }

    @Override
    public void close() {
        unplug();
    }

    private HttpServer start(int onPort) throws IOException {
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "live-clip-server");
            t.setDaemon(true);
            return t;
        });
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 0);
        s.createContext("/live", this::stream);
        s.setExecutor(executor);
        s.start();
        return s;
    }

    private void stream(HttpExchange exchange) throws IOException {
        connections.incrementAndGet();
        exchange.getResponseHeaders().set("Content-Type", "video/mp2t");
        exchange.sendResponseHeaders(200, 0);
        int chunk = (int) Math.max(188, bytesPerSecond / CHUNKS_PER_SECOND);
        long start = System.nanoTime();
        long sent = 0;
        try (OutputStream out = exchange.getResponseBody()) {
            while (!Thread.currentThread().isInterrupted()) {
                int offset = (int) (sent % clip.length);
                int length = Math.min(chunk, clip.length - offset);
                out.write(clip, offset, length);
                out.flush();
                sent += length;
                bytesSent.addAndGet(length);
                long due = start + sent * 1_000_000_000L / bytesPerSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The client went away or the camera was unplugged.
        } finally {
            exchange.close();
        }
    }
}
