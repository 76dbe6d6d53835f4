package io.bitvision.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitvision.engine.face.DetectedFace;
import io.bitvision.operators.faces.EngineFaceDetector;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eval-faces} on a Megamind.avi frame with the shipped detector (fails without models/face-detector-v2.bvm):
 * labels placed where the detector finds faces are all found, labels moved away are all missed, and a face that is
 * not there is a miss in its size bucket.
 */
class EvalFacesCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private List<DetectedFace> facesOf(Path photo) throws Exception {
        BufferedImage image = ImageFiles.readRgb(photo);
        EngineFaceDetector detector = new EngineFaceDetector(Files.readAllBytes(FaceFixtures.DETECTOR));
        return detector.detect(ImageFiles.rgbBytes(image), image.getHeight(), image.getWidth());
    }

    private Path labels(String photo, List<DetectedFace> faces, float shiftX, float[] extra) throws Exception {
        ObjectNode root = JSON.createObjectNode();
        root.put("description", "test");
        root.put("min_size", 24);
        ArrayNode images = root.putArray("images");
        ObjectNode image = images.addObject();
        image.put("file", photo);
        ArrayNode list = image.putArray("faces");
        for (DetectedFace f : faces) {
            ObjectNode face = list.addObject();
            ArrayNode box = face.putArray("box");
            box.add(f.box().x() + shiftX).add(f.box().y()).add(f.box().width()).add(f.box().height());
            ArrayNode lm = face.putArray("landmarks5");
            float[] l = f.landmarks();
            for (int i = 0; i < 5; i++) {
                lm.addArray().add(l[2 * i] + shiftX).add(l[2 * i + 1]);
            }
        }
        if (extra != null) {
            list.addObject().putArray("box").add(extra[0]).add(extra[1]).add(extra[2]).add(extra[3]);
        }
        Path file = dir.resolve("labels-" + shiftX + (extra != null ? "-extra" : "") + ".json");
        Files.writeString(file, JSON.writeValueAsString(root));
        return file;
    }

    private JsonNode run(Path labels, String... more) throws Exception {
        Path out = dir.resolve(labels.getFileName() + ".report.json");
        String[] args = FaceFixtures.concat(new String[] {"--labels", labels.toString(), "--images", dir.toString(),
                "--face-detector", FaceFixtures.DETECTOR.toString(), "--out", out.toString()}, more);
        CliRun run = CliRun.of("eval-faces", args);
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("recall");
        assertThat(Files.size(dir.resolve(labels.getFileName() + ".report.png"))).isPositive();
        return JSON.readTree(Files.readString(out));
    }

    @Test
    void labelsWhereTheDetectorFindsFacesAreFoundAndAMissingFaceIsAMissInItsSizeBucket() throws Exception {
        Path photo = FaceFixtures.megamind(dir, 154).get(154);
        List<DetectedFace> faces = facesOf(photo).stream().filter(f -> f.box().height() >= 24).toList();
        assertThat(faces).isNotEmpty();
        String name = photo.getFileName().toString();

        JsonNode exact = run(labels(name, faces, 0f, new float[] {5, 5, 60, 70}));
        assertThat(exact.get("faces").asInt()).isEqualTo(faces.size() + 1);
        assertThat(exact.get("found").asInt()).isEqualTo(faces.size());
        assertThat(exact.get("false_alarms").asInt()).isZero();
        assertThat(exact.get("recall").asDouble()).isCloseTo(faces.size() / (faces.size() + 1.0), within(1e-9));
        assertThat(exact.get("precision").asDouble()).isEqualTo(1.0);
        assertThat(exact.get("landmark_error").asDouble()).isCloseTo(0.0, within(1e-4));
        int bucketFaces = 0;
        for (JsonNode bucket : exact.get("by_size")) {
            bucketFaces += bucket.get("faces").asInt();
        }
        assertThat(bucketFaces).isEqualTo(faces.size() + 1);
        JsonNode middle = exact.get("by_size").get(1);
        assertThat(middle.get("size").asText()).isEqualTo("48-96");
        assertThat(middle.get("faces").asInt() - middle.get("found").asInt()).as("the 70 px face that is not there")
                .isEqualTo(1);

        JsonNode moved = run(labels(name, faces, 400f, null));
        assertThat(moved.get("found").asInt()).isZero();
        assertThat(moved.get("false_alarms").asInt()).isEqualTo(facesOf(photo).size());
        assertThat(moved.get("recall").asDouble()).isZero();
    }

    @Test
    void aYuNetLayoutOnnxDetectorRunsThroughTheSameCommand() throws Exception {
        Path photo = FaceFixtures.megamind(dir, 154).get(154);
        Path labels = labels(photo.getFileName().toString(), facesOf(photo), 0f, null);
        Path onnx = Path.of("..", "operators", "src", "test", "resources", "faces", "yunet", "fixed.onnx");
        Path out = dir.resolve("onnx.json");
        CliRun run = CliRun.of("eval-faces", "--labels", labels.toString(), "--images", dir.toString(),
                "--face-detector", onnx.toString(), "--out", out.toString());
        assertThat(run.status()).as(run.err()).isZero();
        JsonNode json = JSON.readTree(Files.readString(out));
        assertThat(json.get("detector").asText()).startsWith("onnx:");
        assertThat(json.get("detector_file").asText()).endsWith("fixed.onnx");
    }

    @Test
    void aMissingPhotoOrDetectorIsAnErrorThatNamesIt() throws Exception {
        Path labels = labels("no-such.png", List.of(), 0f, new float[] {1, 1, 30, 30});
        CliRun missingPhoto = CliRun.of("eval-faces", "--labels", labels.toString(), "--images", dir.toString(),
                "--face-detector", FaceFixtures.DETECTOR.toString(), "--out", dir.resolve("x.json").toString());
        assertThat(missingPhoto.status()).isEqualTo(1);
        assertThat(missingPhoto.err()).contains("no-such.png");
        CliRun missingDetector = CliRun.of("eval-faces", "--labels", labels.toString(), "--images", dir.toString(),
                "--face-detector", dir.resolve("absent.onnx").toString());
        assertThat(missingDetector.status()).isEqualTo(1);
        assertThat(missingDetector.err()).contains("absent.onnx");
    }
}
