package io.bitvision.operators.source.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/**
 * An HLS server on loopback: {@code /segment.ts} serves a clip, {@code /remote.m3u8} a playlist of that segment over
 * HTTP, {@code /local.m3u8} a playlist whose one segment is a {@code file://} URI of the same clip on this machine
 * (what a hostile camera registration would serve to read local files through FFmpeg), {@code /inline.m3u8} one
 * whose segment is the clip inline as a {@code data:} URI. {@link #writeLocalPlaylist} writes the reverse: a playlist
 * file on disk whose segment is on the server.
 */
public final class PlaylistServer implements AutoCloseable {
    private final HttpServer server;

    public PlaylistServer(Path segment, double seconds) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] clip = Files.readAllBytes(segment);
        server.createContext("/segment.ts", exchange -> send(exchange, "video/mp2t", clip));
        server.createContext("/remote.m3u8", exchange -> send(exchange, "application/vnd.apple.mpegurl",
                playlist(seconds, url("/segment.ts"))));
        server.createContext("/local.m3u8", exchange -> send(exchange, "application/vnd.apple.mpegurl",
                playlist(seconds, segment.toUri().toString())));
        server.createContext("/inline.m3u8", exchange -> send(exchange, "application/vnd.apple.mpegurl",
                playlist(seconds, "data:video/mp2t;base64," + Base64.getEncoder().encodeToString(clip))));
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** A playlist file on disk whose one segment is this server's {@code /segment.ts}. */
    public Path writeLocalPlaylist(Path file, double seconds) throws IOException {
        return Files.write(file, playlist(seconds, url("/segment.ts")));
    }

    private static byte[] playlist(double seconds, String segmentUri) {
        List<String> lines = List.of("#EXTM3U", "#EXT-X-VERSION:3",
                "#EXT-X-TARGETDURATION:" + (int) Math.ceil(seconds), "#EXT-X-MEDIA-SEQUENCE:0",
                "#EXTINF:" + seconds + ",", segmentUri, "#EXT-X-ENDLIST", "");
        return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange exchange, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
