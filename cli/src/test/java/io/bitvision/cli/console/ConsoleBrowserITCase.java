package io.bitvision.cli.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.bitvision.cli.FaceFixtures;
import io.bitvision.engine.post.CocoRle;
import io.bitvision.jobs.pipeline.PipelineArgs;
import io.bitvision.jobs.pipeline.PipelineConfig;
import io.bitvision.jobs.pipeline.PipelineJob;
import io.bitvision.operators.faces.FaceEmbedder;
import io.bitvision.operators.inference.ModelRef;
import io.bitvision.operators.kafka.Topics;
import io.bitvision.operators.preview.PreviewSettings;
import io.bitvision.operators.source.registry.CameraRegistryWriter;
import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.CameraHealth;
import io.bitvision.schemas.CameraState;
import io.bitvision.schemas.FaceMatch;
import io.bitvision.schemas.FrameMasks;
import io.bitvision.schemas.FramePreview;
import io.bitvision.schemas.Instance;
import io.bitvision.testkit.audit.CommittedRecords;
import io.bitvision.testkit.broker.EmbeddedKafkaBroker;
import io.bitvision.testkit.clips.SampleVideo;
import io.bitvision.testkit.faults.BadCameraServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.imageio.ImageIO;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console as an operator uses it, in Debian's headless Chromium driven by Selenium, on a real broker and the job
 * on a MiniCluster with previews and the shipped models: both cameras appear; a tile draws a preview and masks whose
 * pixels are exactly the committed FrameMasks record it says it shows (read back from its canvas); a dead camera's
 * tile turns FAILED with the reason its health record gives; a person enrolled through the page (a frame of
 * Megamind.avi uploaded as a photo) then shows up in the match feed when a camera showing her is added. The test
 * writes screenshots of each view to target/console-screenshots (README's come from there).
 */
class ConsoleBrowserITCase {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path MEGAMIND = FaceFixtures.MEGAMIND;
    private static final Path MODELS = FaceFixtures.MODELS;
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final Topics TOPICS = new Topics("ui.masks", "ui.health", "ui.dead", "ui.faces");
    private static final String PREVIEWS = "ui.previews";
    private static final String WATCHLIST = "ui.watchlist";
    private static final String REGISTRY = "ui.cameras";

    private static EmbeddedKafkaBroker broker;
    private static JobClient job;
    private static Console console;
    private static ChromeDriver browser;

    @BeforeAll
    static void start(@TempDir Path cache) throws Exception {
        for (Path needed : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(needed)) {
                fail(needed + " is missing: the console's browser test needs Debian's chromium and chromium-driver "
                        + "(apt-get install chromium chromium-driver; ./bitvision test and CI install them)");
            }
        }
        Path video = SampleVideo.vtest(cache);
        broker = EmbeddedKafkaBroker.start();
        broker.createTopics(1, TOPICS.all());
        broker.createTopics(1, PREVIEWS, WATCHLIST, REGISTRY);
        FaceEmbedder embedder = PipelineArgs.faceEmbedder(MODELS.resolve(PipelineArgs.FACE_EMBEDDER_NAME));
        PipelineConfig config = PipelineConfig.builder()
                .bootstrapServers(broker.bootstrapServers())
                .topics(TOPICS)
                .camera("vtest", video.toString())
                .camera("dead", BadCameraServer.closedPortUrl())
                .maxReconnectAttempts(2)
                .stallTimeout(Duration.ofSeconds(2))
                .cameraRegistry(REGISTRY)
                .cameraSchemes(List.of("file", "http", "rtsp"))
                .model(ModelRef.ofFile(MODELS.resolve("person-v1.bvm")), "person")
                .watchlist(WATCHLIST, (float) embedder.calibratedThreshold().orElseThrow(), 24)
                .faceEmbedder(embedder)
                .faceDetector(PipelineArgs.faceDetector(MODELS.resolve(PipelineArgs.FACE_DETECTOR_NAME)))
                .previews(new PreviewSettings(PREVIEWS, 2, 640))
                .checkpointInterval(Duration.ofMillis(500))
                .transactionalIdPrefix("ui")
                .build();
        console = Console.start(new Console.Settings(broker.bootstrapServers(), new Properties(),
                new ConsoleTopics(TOPICS.masks(), TOPICS.health(), TOPICS.faces(), WATCHLIST, PREVIEWS), "127.0.0.1", 0,
                null, null, null, MODELS));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
        PipelineJob.define(env, config);
        job = env.executeAsync("console browser test");

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1400,900");
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build(), options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (job != null) {
            job.cancel().get();
        }
        if (console != null) {
            console.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static WebDriverWait waitUpTo(int seconds) {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(seconds));
        wait.pollingEvery(Duration.ofMillis(250));
        return wait;
    }

    private static void screenshot(String name) throws Exception {
        Files.write(SCREENSHOTS.resolve("console-" + name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    private static List<ConsumerRecord<byte[], byte[]>> committed(String topic) {
        return CommittedRecords.readAll(broker.bootstrapServers(), new Properties(), Duration.ofSeconds(30), topic).get(topic);
    }

    @Test
    void anOperatorSeesCamerasMasksAFailedCameraAndAMatchForSomeoneEnrolledOnThePage(@TempDir Path photos)
            throws Exception {
        browser.get(console.url());
        waitUpTo(60).until(d -> d.findElements(By.cssSelector(".tile")).size() == 2);

        // The dead camera: FAILED, with the reason of its committed health record.
        WebElement dead = waitUpTo(90).until(d -> d.findElement(By.cssSelector(".tile[data-camera='dead'][data-state='FAILED']")));
        String failedReason = committed(TOPICS.health()).stream().map(r -> AvroRecords.decode(r.value(), CameraHealth.class))
                .filter(h -> h.getCameraId().equals("dead") && h.getState() == CameraState.FAILED)
                .map(h -> h.getReason().toString()).findFirst().orElseThrow();
        assertThat(failedReason).as("a connection failure, not a refused scheme").doesNotContain("refused: camera URI");
        assertThat(dead.findElement(By.cssSelector(".reason")).getText()).isEqualTo(failedReason);
        assertThat(dead.findElement(By.cssSelector(".state")).getText()).isEqualTo("FAILED");

        // The vtest tile: a preview under masks that are, pixel for pixel, the committed record of the frame it names.
        waitUpTo(120).until(d -> "1".equals(d.findElement(By.cssSelector(".tile[data-camera='vtest'] .stage"))
                .getDomAttribute("data-preview-drawn"))
                && !"0".equals(d.findElement(By.cssSelector(".tile[data-camera='vtest'] .stage")).getDomAttribute("data-instances")));
        screenshot("cameras");
        @SuppressWarnings("unchecked")
        Map<String, Object> drawn = (Map<String, Object>) ((JavascriptExecutor) browser).executeScript("""
                const stage = document.querySelector(".tile[data-camera='vtest'] .stage");
                const [frame, masks] = stage.querySelectorAll("canvas");
                return {seq: stage.dataset.frameSeq, previewSeq: stage.dataset.previewSeq,
                        masks: masks.toDataURL("image/png"), frame: frame.toDataURL("image/png")};""");
        long seq = Long.parseLong((String) drawn.get("seq"));
        long previewSeq = Long.parseLong((String) drawn.get("previewSeq"));
        FrameMasks record = committed(TOPICS.masks()).stream().map(r -> AvroRecords.decode(r.value(), FrameMasks.class))
                .filter(m -> m.getCameraId().equals("vtest") && m.getFrameSeq() == seq).findFirst().orElseThrow();
        int h = record.getFrameHeight(), w = record.getFrameWidth();
        BufferedImage maskCanvas = png((String) drawn.get("masks"));
        assertThat(maskCanvas.getWidth()).isEqualTo(w);
        assertThat(maskCanvas.getHeight()).isEqualTo(h);
        byte[] union = new byte[h * w];
        for (Instance instance : record.getInstances()) {
            byte[] mask = CocoRle.decode(CocoRle.decompress(instance.getRle().getCounts().toString()), h, w);
            for (int i = 0; i < mask.length; i++) {
                union[i] |= mask[i];
            }
        }
        long foreground = 0, mismatched = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean painted = (maskCanvas.getRGB(x, y) >>> 24) != 0;
                boolean inRecord = union[y * w + x] != 0;
                foreground += inRecord ? 1 : 0;
                mismatched += painted != inRecord ? 1 : 0;
            }
        }
        assertThat(foreground).as("frame %d has people in the record", seq).isGreaterThan(500);
        assertThat(mismatched).as("mask pixels on the canvas that differ from committed frame %d", seq).isZero();
        assertThat(previewSeq).isLessThanOrEqualTo(seq);
        assertThat(committed(PREVIEWS).stream().map(r -> AvroRecords.decode(r.value(), FramePreview.class))
                .filter(p -> p.getCameraId().equals("vtest")).map(FramePreview::getFrameSeq)).contains(previewSeq);
        assertThat(distinctColours(png((String) drawn.get("frame")))).as("a camera image under the masks").isGreaterThan(200);

        browser.get(console.url() + "#/camera/vtest");
        waitUpTo(30).until(d -> d.findElements(By.cssSelector("#camera-health li")).size() >= 2);
        Thread.sleep(1500);
        screenshot("camera");

        // Enrol Roxanne through the page from a frame of Megamind.avi, then add a camera showing her.
        Path photo = FaceFixtures.megamind(photos, 20).get(20);
        browser.get(console.url() + "#/watchlist");
        waitUpTo(20).until(d -> d.findElement(By.id("sign-in")).isDisplayed());
        browser.findElement(By.id("token")).sendKeys(console.token());
        browser.findElement(By.id("sign-in-button")).click();
        waitUpTo(20).until(d -> !d.findElement(By.id("sign-in")).isDisplayed());
        browser.findElement(By.id("enrol-id")).sendKeys("roxanne");
        browser.findElement(By.id("enrol-name")).sendKeys("Roxanne (Megamind.avi)");
        browser.findElement(By.id("enrol-photo")).sendKeys(photo.toAbsolutePath().toString());
        browser.findElement(By.id("enrol-button")).click();
        waitUpTo(60).until(d -> d.findElement(By.id("enrol-message")).getText().contains("version"));
        assertThat(browser.findElement(By.id("enrol-message")).getText()).contains("enrolling the largest");
        waitUpTo(30).until(d -> !d.findElements(By.cssSelector("tr.identity[data-identity='roxanne']")).isEmpty());
        screenshot("watchlist");

        CameraRegistryWriter.register(broker.bootstrapServers(), REGISTRY, "megamind", MEGAMIND.toString());
        browser.get(console.url() + "#/matches");
        waitUpTo(240).until(d -> !d.findElements(By.cssSelector("tr.match[data-identity='roxanne'][data-camera='megamind']")).isEmpty());
        // Once the clip has ended and its last records are committed, the feed holds every committed match.
        waitUpTo(240).until(d -> "ENDED".equals(((JavascriptExecutor) d).executeScript(
                "const t = document.querySelector(\".tile[data-camera='megamind']\"); return t && t.dataset.state;")));
        List<FaceMatch> events = committed(TOPICS.faces()).stream().map(r -> AvroRecords.decode(r.value(), FaceMatch.class)).toList();
        assertThat(events).isNotEmpty().allSatisfy(e -> {
            assertThat(e.getIdentityId().toString()).isEqualTo("roxanne");
            assertThat(e.getCameraId().toString()).isEqualTo("megamind");
        });
        waitUpTo(30).until(d -> d.findElements(By.cssSelector("tr.match")).size() == events.size());
        Thread.sleep(500);
        screenshot("matches");
    }

    private static BufferedImage png(String dataUrl) throws Exception {
        String base64 = dataUrl.substring(dataUrl.indexOf(',') + 1);
        return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
    }

    private static long distinctColours(BufferedImage image) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 4) {
            for (int x = 0; x < image.getWidth(); x += 4) {
                seen.add(image.getRGB(x, y) & 0xffffff);
            }
        }
        return seen.size();
    }
}
