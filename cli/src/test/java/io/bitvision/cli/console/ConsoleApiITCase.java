package io.bitvision.cli.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bitvision.cli.FaceFixtures;
import io.bitvision.engine.post.CocoRle;
import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.CameraHealth;
import io.bitvision.schemas.CameraState;
import io.bitvision.schemas.CaptureTimeSource;
import io.bitvision.schemas.FaceMatch;
import io.bitvision.schemas.FrameMasks;
import io.bitvision.schemas.FramePreview;
import io.bitvision.schemas.Instance;
import io.bitvision.schemas.Rle;
import io.bitvision.schemas.WatchlistOp;
import io.bitvision.schemas.WatchlistUpdate;
import io.bitvision.testkit.broker.EmbeddedKafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's API on a real broker: records written by a transactional producer are served only once committed;
 * cameras, frames, previews, matches and the watchlist come back as the records say; writes without the token are
 * refused, and a delete with it is published to the watchlist topic.
 */
class ConsoleApiITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ConsoleTopics TOPICS = new ConsoleTopics("api.masks", "api.health", "api.faces",
            "api.watchlist", "api.previews");
    private static EmbeddedKafkaBroker broker;
    private static Console console;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.start();
        broker.createTopics(1, TOPICS.all().toArray(String[]::new));
        console = Console.start(new Console.Settings(broker.bootstrapServers(), new Properties(), TOPICS, "127.0.0.1", 0,
                null, null, null, FaceFixtures.MODELS));
    }

    @AfterAll
    static void stop() throws Exception {
        console.close();
        broker.close();
    }

    private static byte[] square(int height, int width, int x0, int y0, int size) {
        byte[] mask = new byte[height * width];
        for (int y = y0; y < y0 + size; y++) {
            for (int x = x0; x < x0 + size; x++) {
                mask[y * width + x] = 1;
            }
        }
        return mask;
    }

    private static FrameMasks masks(String camera, long seq, byte[] mask, int height, int width) {
        int[] counts = CocoRle.counts(mask, height, width);
        int[] box = CocoRle.bbox(counts, height, width);
        Instance instance = Instance.newBuilder().setTrackId(7).setClassId(0).setClassName("person").setScore(0.9f)
                .setBbox(List.of((float) box[0], (float) box[1], (float) box[2], (float) box[3]))
                .setArea(CocoRle.area(counts))
                .setRle(Rle.newBuilder().setSize(List.of(height, width)).setCounts(CocoRle.compress(counts)).build())
                .build();
        return FrameMasks.newBuilder().setCameraId(camera).setFrameSeq(seq).setPtsUs(seq * 100_000)
                .setCaptureTimeMs(Instant.ofEpochMilli(1_000_000 + seq * 100)).setCaptureTimeSource(CaptureTimeSource.INGEST_CLOCK)
                .setIngestTimeMs(Instant.now()).setFrameWidth(width).setFrameHeight(height).setModelId("m").setModelVersion("1")
                .setFramesDropped(seq == 3 ? 2 : 0).setInstances(List.of(instance)).build();
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, SpecificRecord value) {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), AvroRecords.encode(value)));
    }

    private static KafkaProducer<byte[], byte[]> producer(String transactionalId) {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put("transactional.id", transactionalId);
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
        producer.initTransactions();
        return producer;
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(console.url() + path.substring(1))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    void servesCommittedRecordsOnlyAndRefusesWritesWithoutTheToken() throws Exception {
        int h = 48, w = 64;
        try (KafkaProducer<byte[], byte[]> producer = producer("api-test")) {
            producer.beginTransaction();
            for (long seq = 0; seq < 4; seq++) {
                send(producer, TOPICS.masks(), "cam-a", masks("cam-a", seq, square(h, w, 10 + (int) seq, 5, 12), h, w));
            }
            send(producer, TOPICS.previews(), "cam-a", FramePreview.newBuilder().setCameraId("cam-a").setFrameSeq(2)
                    .setCaptureTimeMs(Instant.ofEpochMilli(1_000_200)).setFrameWidth(w).setFrameHeight(h).setWidth(32)
                    .setHeight(24).setJpeg(ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xd8, 1, 2, 3})).build());
            send(producer, TOPICS.health(), "cam-b", CameraHealth.newBuilder().setCameraId("cam-b").setTimeMs(Instant.now())
                    .setState(CameraState.FAILED).setReason("connection refused after 3 attempts").setReconnectAttempts(3)
                    .setFramesDecoded(0).setFramesDropped(0).setDecodeFps(0).build());
            send(producer, TOPICS.faces(), "cam-a", FaceMatch.newBuilder().setEventId("e1").setCameraId("cam-a").setFrameSeq(3)
                    .setTrackId(7).setIdentityId("ada").setSimilarity(0.93f).setThreshold(0.9f).setModelId("face")
                    .setModelVersion("1").setWatchlistVersion(5).setCaptureTimeMs(Instant.ofEpochMilli(1_000_300))
                    .setEmittedTimeMs(Instant.now()).setBbox(List.of(1f, 2f, 3f, 4f)).build());
            send(producer, TOPICS.watchlist(), "ada", WatchlistUpdate.newBuilder().setIdentityId("ada").setOp(WatchlistOp.UPSERT)
                    .setVersion(5).setEmbeddings(List.of(List.of(1f, 0f))).setModelId("face").setDisplayName("Ada")
                    .setUpdatedTimeMs(Instant.now()).build());
            producer.flush();
            Thread.sleep(1500);
            assertThat(json("/api/cameras")).as("nothing is shown before the transaction commits").isEmpty();
            producer.commitTransaction();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> json("/api/cameras").size() == 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> json("/api/watchlist").size() == 1);
        JsonNode cameras = json("/api/cameras");
        JsonNode a = cameras.get(0);
        assertThat(a.get("id").asText()).isEqualTo("cam-a");
        assertThat(a.get("frames").asLong()).isEqualTo(4);
        assertThat(a.get("dropped").asLong()).isEqualTo(2);
        assertThat(a.get("last_frame_seq").asLong()).isEqualTo(3);
        assertThat(a.get("preview_seq").asLong()).as("the nearest earlier preview").isEqualTo(2);
        assertThat(a.has("latency_ms_p50")).isTrue();
        JsonNode b = cameras.get(1);
        assertThat(b.get("state").asText()).isEqualTo("FAILED");
        assertThat(b.get("reason").asText()).isEqualTo("connection refused after 3 attempts");

        JsonNode frame = json("/api/cameras/cam-a/frame");
        assertThat(frame.get("frame_seq").asLong()).isEqualTo(3);
        String counts = frame.get("instances").get(0).get("rle").get("counts").asText();
        assertThat(CocoRle.decode(CocoRle.decompress(counts), h, w)).isEqualTo(square(h, w, 13, 5, 12));
        HttpResponse<byte[]> jpeg = HTTP.send(HttpRequest.newBuilder(URI.create(console.url() + "api/cameras/cam-a/previews/2"))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(jpeg.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(jpeg.body()).containsExactly(0xff, 0xd8, 1, 2, 3);
        assertThat(get("/api/cameras/cam-a/previews/1").statusCode()).isEqualTo(404);
        assertThat(get("/api/cameras/nobody").statusCode()).isEqualTo(404);

        JsonNode matches = json("/api/matches?limit=10&identity=ada");
        assertThat(matches).hasSize(1);
        assertThat(matches.get(0).get("similarity").floatValue()).isEqualTo(0.93f);
        assertThat(json("/api/matches?identity=bob")).isEmpty();
        assertThat(json("/api/watchlist").get(0).get("display_name").asText()).isEqualTo("Ada");
        assertThat(json("/api/watchlist").get(0).get("embeddings").isInt()).as("a count, never the vectors").isTrue();

        HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(URI.create(console.url() + "api/watchlist/ada"))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).as("an unauthenticated write").isEqualTo(401);
        HttpResponse<String> wrong = HTTP.send(HttpRequest.newBuilder(URI.create(console.url() + "api/watchlist/ada"))
                .header("Authorization", "Bearer not-the-token-at-all").DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        HttpResponse<String> enrolAnonymous = HTTP.send(HttpRequest.newBuilder(URI.create(console.url() + "api/watchlist"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("id=eve")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(enrolAnonymous.statusCode()).isEqualTo(401);
        assertThat(json("/api/watchlist")).as("nothing changed").hasSize(1);

        HttpResponse<String> deleted = HTTP.send(HttpRequest.newBuilder(URI.create(console.url() + "api/watchlist/ada"))
                .header("Authorization", "Bearer " + console.token()).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(json("/api/watchlist")).isEmpty();
        List<WatchlistUpdate> published = io.bitvision.testkit.audit.CommittedRecords.readAll(broker.bootstrapServers(),
                new Properties(), Duration.ofSeconds(30), TOPICS.watchlist()).get(TOPICS.watchlist()).stream()
                .map(r -> AvroRecords.decode(r.value(), WatchlistUpdate.class)).toList();
        assertThat(published).hasSize(2);
        assertThat(published.get(1).getOp()).isEqualTo(WatchlistOp.DELETE);
        assertThat(published.get(1).getVersion()).isGreaterThan(5);
    }

    @Test
    void aLoopbackConsoleRefusesOtherHostNamesAndSignsInWithTheToken() throws Exception {
        // java.net.http will not send a Host header of our choosing: a plain socket does what a rebound browser would.
        URI base = URI.create(console.url());
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.getOutputStream().write(("GET /api/cameras HTTP/1.1\r\nHost: attacker.example:8080\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertThat(statusLine).as("a page on another site reaching the loopback console by DNS rebinding")
                    .startsWith("HTTP/1.1 403");
        }

        HttpResponse<String> wrong = HTTP.send(HttpRequest.newBuilder(URI.create(console.url() + "api/session"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=wrong")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        HttpResponse<String> signedIn = HTTP.send(HttpRequest.newBuilder(URI.create(console.url() + "api/session"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + console.token())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(signedIn.statusCode()).isEqualTo(200);
        String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict");
        String session = cookie.substring(0, cookie.indexOf(';'));
        String csrf = JSON.readTree(signedIn.body()).get("csrf").asText();

        HttpResponse<String> cookieOnly = HTTP.send(HttpRequest.newBuilder(URI.create(console.url() + "api/watchlist/nobody"))
                .header("Cookie", session).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(cookieOnly.statusCode()).as("a cookie without its CSRF token (a cross-site form)").isEqualTo(401);
        HttpResponse<String> withCsrf = HTTP.send(HttpRequest.newBuilder(URI.create(console.url() + "api/watchlist/nobody"))
                .header("Cookie", session).header(ConsoleAccess.CSRF_HEADER, csrf).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(withCsrf.statusCode()).as("authorised, but nobody to delete").isEqualTo(404);
    }

    /** A multipart upload as the page's form sends it. */
    private static HttpResponse<String> enrol(String id, String filename, byte[] photo) throws Exception {
        String boundary = "bitvision-test-boundary";
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"id\"\r\n\r\n" + id + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"" + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(photo);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HTTP.send(HttpRequest.newBuilder(URI.create(console.url() + "api/watchlist"))
                .header("Authorization", "Bearer " + console.token())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void photosThatCannotBeEnrolledAreRefusedWithTheReasonAndNothingIsPublished(@org.junit.jupiter.api.io.TempDir Path photos)
            throws Exception {
        byte[] grey = java.nio.file.Files.readAllBytes(FaceFixtures.blank(photos, "grey.png"));
        byte[] huge = grey.clone();
        // The IHDR chunk's width and height (bytes 16-23): 60000 x 60000, a 3.6 gigapixel claim in a small file.
        java.nio.ByteBuffer.wrap(huge).putInt(16, 60000).putInt(20, 60000);

        HttpResponse<String> noFace = enrol("grey", "grey.png", grey);
        HttpResponse<String> notAnImage = enrol("text", "notes.png", "just text".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> bomb = enrol("bomb", "bomb.png", huge);
        HttpResponse<String> badId = enrol("../etc", "grey.png", grey);

        assertThat(noFace.statusCode()).as(noFace.body()).isEqualTo(422);
        assertThat(noFace.body()).contains("no face found").contains("nothing enrolled");
        assertThat(notAnImage.statusCode()).isEqualTo(422);
        assertThat(notAnImage.body()).contains("not an image");
        assertThat(bomb.statusCode()).isEqualTo(422);
        assertThat(bomb.body()).contains("60000x60000").contains("megapixels");
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(json("/api/watchlist").findValuesAsText("identity_id")).doesNotContain("grey", "text", "bomb");
    }

    @Test
    void bindingBeyondLoopbackNeedsATokenAndThenEveryReadNeedsIt() throws Exception {
        assertThatThrownBy(() -> new Console.Settings(broker.bootstrapServers(), new Properties(), TOPICS, "0.0.0.0", 0,
                null, null, null, FaceFixtures.MODELS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--token-file");
        String token = "a-long-enough-console-token";
        try (Console open = Console.start(new Console.Settings(broker.bootstrapServers(), new Properties(), TOPICS,
                "0.0.0.0", 0, token, null, null, Path.of("..", "models")))) {
            String base = open.url().replace("0.0.0.0", "127.0.0.1");
            HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(URI.create(base + "api/cameras")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            HttpResponse<String> about = HTTP.send(HttpRequest.newBuilder(URI.create(base + "api/about")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(about.statusCode()).as("the broker's address is data too").isEqualTo(401);
            HttpResponse<String> basic = HTTP.send(HttpRequest.newBuilder(URI.create(base + "api/cameras"))
                    .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                            ("operator:" + token).getBytes(StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(basic.statusCode()).isEqualTo(200);
            HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(base)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).as("the page itself holds no data").isEqualTo(200);
            assertThat(page.body()).contains("bitvision console");
        }
    }
}
