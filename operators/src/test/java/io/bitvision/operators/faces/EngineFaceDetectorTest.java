package io.bitvision.operators.faces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;

import io.bitvision.engine.face.DetectedFace;
import io.bitvision.engine.face.FaceDetector;
import io.bitvision.engine.model.ModelReader;
import io.bitvision.operators.source.reader.RgbFrames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;

/**
 * The shipped face detector (models/face-detector-v2.bvm) on frame 2 of Megamind.avi, where two neighbouring heat
 * cells of Roxanne's face score alike and the decoder reports her twice: the operator's detector reports her once.
 */
class EngineFaceDetectorTest {
    private static final Path MODEL = Path.of("..", "models", "face-detector-v2.bvm");
    private static final Path VIDEO = Path.of("/usr/share/doc/opencv-doc/examples/data/Megamind.avi");

    @Test
    void twoPeaksOfOneFaceAreReportedOnce() throws Exception {
        Frame frame;
        byte[] rgb;
        int width;
        int height;
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(VIDEO.toFile())) {
            grabber.setPixelFormat(AV_PIX_FMT_RGB24);
            grabber.start();
            grabber.grabImage();
            grabber.grabImage();
            frame = grabber.grabImage();
            width = frame.imageWidth;
            height = frame.imageHeight;
            rgb = RgbFrames.copy(frame);
            grabber.stop();
        }
        List<DetectedFace> raw = new FaceDetector(ModelReader.read(MODEL)).detect(rgb, height, width);
        assertThat(overlappingPairs(raw)).as("the decoder alone reports one face twice here").isPositive();

        List<DetectedFace> faces = new EngineFaceDetector(Files.readAllBytes(MODEL)).detect(rgb, height, width);

        assertThat(overlappingPairs(faces)).isZero();
        assertThat(faces).hasSize(raw.size() - overlappingPairs(raw));
        assertThat(faces.getFirst().score()).isEqualTo(raw.stream().map(DetectedFace::score).max(Float::compare).orElseThrow());
    }

    private static int overlappingPairs(List<DetectedFace> faces) {
        int pairs = 0;
        for (int i = 0; i < faces.size(); i++) {
            for (int j = i + 1; j < faces.size(); j++) {
                if (faces.get(i).box().iou(faces.get(j).box()) > EngineFaceDetector.DUPLICATE_IOU) {
                    pairs++;
                }
            }
        }
        return pairs;
    }
}
