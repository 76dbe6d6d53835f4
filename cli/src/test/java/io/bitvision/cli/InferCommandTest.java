package io.bitvision.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelWriter;
import io.bitvision.engine.post.CocoRle;
import io.bitvision.operators.inference.DarkRegionsModel;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code infer} on the SparseInst stand-in (one "person" instance: every dark 4x4 block of the model input,
 * score 0.9755): the JSON agrees with its own RLE masks, the overlay shows them, and bad input is a clear error.
 */
class InferCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double STAND_IN_SCORE = (1 / (1 + Math.exp(-5))) * (1 / (1 + Math.exp(-4)));
    private static final Color LIGHT = new Color(200, 200, 200);
    private static final Color DARK = new Color(10, 10, 10);

    @TempDir
    Path dir;

    private Path model(Model model) throws Exception {
        Path file = dir.resolve(model.name() + ".bvm");
        Files.write(file, ModelWriter.toBytes(model));
        return file;
    }

    /** A light image with one dark rectangle, written as {@code format}. */
    private Path image(String name, String format, int width, int height, int x, int y, int w, int h) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(LIGHT);
        g.fillRect(0, 0, width, height);
        g.setColor(DARK);
        g.fillRect(x, y, w, h);
        g.dispose();
        Path file = dir.resolve(name);
        assertThat(ImageIO.write(image, format, file.toFile())).isTrue();
        return file;
    }

    @Test
    void writesInstancesWhoseRleMasksMatchTheirAreaAndBoxAndAnOverlayBesideTheJson() throws Exception {
        // Twice the 48x64 model input: the rectangle covers map blocks 2..5 x 2..4 exactly.
        Path model = model(DarkRegionsModel.buildSparseInst(48, 64, 70));
        Path image = image("street.png", "png", 128, 96, 16, 16, 32, 24);
        Path out = dir.resolve("results/result.json");

        CliRun run = CliRun.of("infer", "--model", model.toString(), "--image", image.toString(),
                "--out", out.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out().lines()).singleElement().asString()
                .contains("1 instance").contains("0.98").contains(DarkRegionsModel.SPARSE_INST_NAME);
        JsonNode json = JSON.readTree(Files.readString(out));
        assertThat(json.get("model").get("name").asText()).isEqualTo(DarkRegionsModel.SPARSE_INST_NAME);
        assertThat(json.get("model").get("version").asText()).isEqualTo(DarkRegionsModel.VERSION);
        assertThat(json.get("image").get("width").asInt()).isEqualTo(128);
        assertThat(json.get("image").get("height").asInt()).isEqualTo(96);
        assertThat(json.get("inference_ms").asDouble()).isPositive();
        assertThat(json.get("instances")).hasSize(1);
        JsonNode person = json.get("instances").get(0);
        assertThat(person.get("class").asText()).isEqualTo("person");
        assertThat(person.get("score").asDouble()).isCloseTo(STAND_IN_SCORE, within(1e-4));
        assertThat(person.get("rle").get("size").get(0).asInt()).isEqualTo(96);
        assertThat(person.get("rle").get("size").get(1).asInt()).isEqualTo(128);

        int[] counts = CocoRle.decompress(person.get("rle").get("counts").asText());
        int[] bbox = new int[4];
        for (int i = 0; i < 4; i++) {
            bbox[i] = person.get("bbox").get(i).asInt();
        }
        assertThat(CocoRle.bbox(counts, 96, 128)).containsExactly(bbox);
        assertThat(bbox).containsExactly(16, 16, 32, 24);
        assertThat(CocoRle.area(counts)).isEqualTo(person.get("area").asLong());
        // Bilinear upscaling rounds the rectangle's corners off: a few pixels fewer than 32 x 24.
        assertThat(person.get("area").asLong()).isBetween(32L * 24 - 32, 32L * 24 - 4);

        BufferedImage overlay = ImageIO.read(dir.resolve("results/result.png").toFile());
        assertThat(overlay.getWidth()).isEqualTo(128);
        assertThat(overlay.getHeight()).isEqualTo(96);
        byte[] mask = CocoRle.decode(counts, 96, 128);
        assertThat(mask[30 * 128 + 30]).isEqualTo((byte) 1);
        assertThat(overlay.getRGB(30, 30) & 0xFFFFFF).as("tinted mask pixel").isNotEqualTo(DARK.getRGB() & 0xFFFFFF);
        assertThat(overlay.getRGB(100, 80) & 0xFFFFFF).as("untouched background").isEqualTo(LIGHT.getRGB() & 0xFFFFFF);
    }

    @Test
    void takesAJpegOfAnySizeAndAnExplicitOverlayPath() throws Exception {
        Path model = model(DarkRegionsModel.buildSparseInst(48, 64, 70));
        Path image = image("odd.jpg", "jpeg", 203, 117, 40, 30, 60, 50);
        Path out = dir.resolve("odd.json");
        Path overlay = dir.resolve("pictures/odd-overlay.png");

        CliRun run = CliRun.of("infer", "--model", model.toString(), "--image", image.toString(),
                "--out", out.toString(), "--overlay", overlay.toString());

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode json = JSON.readTree(Files.readString(out));
        assertThat(json.get("image").get("width").asInt()).isEqualTo(203);
        assertThat(json.get("image").get("height").asInt()).isEqualTo(117);
        JsonNode person = json.get("instances").get(0);
        int[] counts = CocoRle.decompress(person.get("rle").get("counts").asText());
        assertThat(Arrays.stream(counts).asLongStream().sum()).isEqualTo(203L * 117);
        assertThat(CocoRle.area(counts)).isEqualTo(person.get("area").asLong());
        int[] box = CocoRle.bbox(counts, 117, 203);
        // Within a block of the model input (203/64 and 117/48 pixels) of the drawn rectangle.
        assertThat(box[0]).isCloseTo(40, within(4));
        assertThat(box[1]).isCloseTo(30, within(3));
        assertThat(box[0] + box[2]).isCloseTo(100, within(4));
        assertThat(box[1] + box[3]).isCloseTo(80, within(3));
        assertThat(ImageIO.read(overlay.toFile()).getWidth()).isEqualTo(203);
        assertThat(dir.resolve("odd.png")).doesNotExist();
    }

    @Test
    void aScoreThresholdAboveTheInstancesScoreLeavesNone() throws Exception {
        Path model = model(DarkRegionsModel.buildSparseInst(48, 64, 70));
        Path image = image("street.png", "png", 128, 96, 16, 16, 32, 24);
        Path out = dir.resolve("strict.json");

        CliRun strict = CliRun.of("infer", "--model", model.toString(), "--image", image.toString(),
                "--out", out.toString(), "--score-threshold", "0.99");

        assertThat(strict.status()).as(strict.err()).isZero();
        assertThat(JSON.readTree(Files.readString(out)).get("instances")).isEmpty();
        assertThat(strict.out()).contains("0 instances");
    }

    @Test
    void aCenterInstModelGoesThroughItsDecoderAndTakesAScoreThreshold() throws Exception {
        Path model = model(DarkRegionsModel.buildCenterInst(48, 64, 70));
        Path image = image("street.png", "png", 128, 96, 16, 16, 32, 24);
        Path out = dir.resolve("center.json");

        CliRun run = CliRun.of("infer", "--model", model.toString(), "--image", image.toString(),
                "--out", out.toString());
        CliRun strict = CliRun.of("infer", "--model", model.toString(), "--image", image.toString(),
                "--out", dir.resolve("strict.json").toString(), "--score-threshold", "0.99");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("1 instance").contains(DarkRegionsModel.CENTER_INST_NAME);
        JsonNode json = JSON.readTree(Files.readString(out));
        assertThat(json.get("model").get("name").asText()).isEqualTo(DarkRegionsModel.CENTER_INST_NAME);
        assertThat(json.get("instances")).hasSize(1);
        JsonNode person = json.get("instances").get(0);
        assertThat(person.get("class").asText()).isEqualTo("person");
        assertThat(person.get("score").asDouble()).isCloseTo(STAND_IN_SCORE, within(1e-4));
        int[] counts = CocoRle.decompress(person.get("rle").get("counts").asText());
        assertThat(CocoRle.bbox(counts, 96, 128)).containsExactly(16, 16, 32, 24);
        assertThat(CocoRle.area(counts)).isEqualTo(person.get("area").asLong()).isBetween(32L * 24 - 32, 32L * 24 - 4);
        assertThat(strict.status()).as(strict.err()).isZero();
        assertThat(JSON.readTree(Files.readString(dir.resolve("strict.json"))).get("instances")).isEmpty();
    }

    @Test
    void aForegroundModelRunsButHasNoScoresToThreshold() throws Exception {
        Path model = model(DarkRegionsModel.build(48, 64, 70));
        Path image = image("street.png", "png", 128, 96, 16, 16, 32, 24);

        CliRun plain = CliRun.of("infer", "--model", model.toString(), "--image", image.toString(),
                "--out", dir.resolve("plain.json").toString());
        CliRun thresholded = CliRun.of("infer", "--model", model.toString(), "--image", image.toString(),
                "--out", dir.resolve("t.json").toString(), "--score-threshold", "0.5");

        assertThat(plain.status()).as(plain.err()).isZero();
        JsonNode region = JSON.readTree(Files.readString(dir.resolve("plain.json"))).get("instances").get(0);
        assertThat(region.get("area").asLong()).isEqualTo(32L * 24);
        assertThat(thresholded.status()).isEqualTo(1);
        assertThat(thresholded.err()).contains("--score-threshold").contains(DarkRegionsModel.NAME);
    }

    @Test
    void aMissingModelIsAnErrorNamingIt() throws Exception {
        Path image = image("street.png", "png", 128, 96, 16, 16, 32, 24);

        CliRun run = CliRun.of("infer", "--model", dir.resolve("gone.bvm").toString(), "--image",
                image.toString(), "--out", dir.resolve("r.json").toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("--model " + dir.resolve("gone.bvm") + ": no such file");
        assertThat(dir.resolve("r.json")).doesNotExist();
    }

    @Test
    void withoutModelItUsesTheDefaultAndSaysWhenThatIsMissing() throws Exception {
        assumeThat(Path.of("models")).doesNotExist(); // tests run in cli/, which has no models/
        Path image = image("street.png", "png", 128, 96, 16, 16, 32, 24);

        CliRun run = CliRun.of("infer", "--image", image.toString(), "--out", dir.resolve("r.json").toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("no person model: " + Path.of("models", "person-v1.bvm").toAbsolutePath()
                + " not found").contains("--model PATH");
    }

    @Test
    void anUnreadableImageIsAnErrorNamingTheFileAndWhy() throws Exception {
        Path model = model(DarkRegionsModel.buildSparseInst(48, 64, 70));
        Path text = dir.resolve("notes.png");
        Files.writeString(text, "this is not a picture");
        Path truncated = dir.resolve("cut.png");
        byte[] png = Files.readAllBytes(image("whole.png", "png", 128, 96, 16, 16, 32, 24));
        Files.write(truncated, Arrays.copyOf(png, png.length / 2));

        CliRun notImage = CliRun.of("infer", "--model", model.toString(), "--image", text.toString(),
                "--out", dir.resolve("a.json").toString());
        CliRun cut = CliRun.of("infer", "--model", model.toString(), "--image", truncated.toString(),
                "--out", dir.resolve("b.json").toString());
        CliRun missing = CliRun.of("infer", "--model", model.toString(), "--image",
                dir.resolve("none.jpg").toString(), "--out", dir.resolve("c.json").toString());

        assertThat(notImage.status()).isEqualTo(1);
        assertThat(notImage.err()).contains("notes.png").contains("not an image");
        assertThat(cut.status()).isEqualTo(1);
        assertThat(cut.err()).contains("cut.png").contains("damaged image");
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).contains("none.jpg").contains("no such file");
    }

    @Test
    void missingRequiredOptionsAreAUsageError() throws Exception {
        CliRun run = CliRun.of("infer", "--out", dir.resolve("r.json").toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required option: '--image=IMAGE'").contains("Usage: bitvision infer");
    }

    @Test
    void imagesBecomeRgbBytesInRedGreenBlueOrder() throws Exception {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, 0xFFFF0000);
        image.setRGB(1, 0, 0xFF0080FF);
        Path file = dir.resolve("two.png");
        ImageIO.write(image, "png", file.toFile());

        byte[] rgb = ImageFiles.rgbBytes(ImageFiles.readRgb(file));

        assertThat(rgb).containsExactly(0xFF, 0, 0, 0, 0x80, 0xFF);
    }
}
