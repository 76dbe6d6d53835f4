package io.bitvision.cli;

import io.bitvision.engine.face.DetectedFace;
import io.bitvision.engine.model.ModelFormatException;
import io.bitvision.jobs.pipeline.PipelineArgs;
import io.bitvision.operators.faces.FaceEmbedder;
import io.bitvision.operators.faces.FrameFaceDetector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The face models of {@code enroll}, {@code faces} and {@code calibrate}: the binary detector ({@code --face-detector},
 * default {@value #DETECTOR_NAME} in {@code --models-dir}) and the embedder ({@code --face-model}, .bvm or .onnx,
 * default {@value #EMBEDDER_NAME}); a face is embedded as the job embeds it (aligned by its five landmarks).
 */
final class FaceModels {
    static final String DETECTOR_NAME = PipelineArgs.FACE_DETECTOR_NAME;
    static final String EMBEDDER_NAME = PipelineArgs.FACE_EMBEDDER_NAME;

    private FaceModels() {}

    /** {@code given}, else {@code defaultPath}; either must exist. */
    static Path require(Path given, Path defaultPath, String option) throws MissingFaceModelException {
        Path path = given != null ? given : defaultPath;
        if (!Files.isRegularFile(path)) {
            throw new MissingFaceModelException(path, given == null, option);
        }
        return path;
    }

    /**
     * @throws IllegalArgumentException when the file is not a face detector (.bvm, or YuNet-layout .onnx), naming
     *                                  the option and the file
     */
    static FrameFaceDetector detector(Path given, Path modelsDir) throws IOException, ModelFormatException {
        return detector(given, modelsDir, 1);
    }

    /** The detector with a second scale of {@code tiles x tiles} tiles when {@code tiles > 1} (--face-tiles). */
    static FrameFaceDetector detector(Path given, Path modelsDir, int tiles) throws IOException, ModelFormatException {
        return PipelineArgs.faceDetector(require(given, modelsDir.resolve(DETECTOR_NAME), "--face-detector"), tiles);
    }

    /** @throws IllegalArgumentException when the file is not a face embedder (.bvm or SFace-layout .onnx) */
    static FaceEmbedder embedder(Path given, Path modelsDir) throws IOException {
        Path path = require(given, modelsDir.resolve(EMBEDDER_NAME), "--face-model");
        try {
            return PipelineArgs.faceEmbedder(path);
        } catch (IllegalArgumentException e) {
            throw e.getMessage() != null && e.getMessage().startsWith("--face-model") ? e
                    : new IllegalArgumentException("--face-model " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // ONNX Runtime refusing the file (InvalidFaceModelException and the like).
            throw new IllegalArgumentException("--face-model " + path + ": " + e.getMessage(), e);
        }
    }

    /** The embedder's file: {@code given} or the default (after {@link #embedder} checked it exists). */
    static Path embedderPath(Path given, Path modelsDir) {
        return given != null ? given : modelsDir.resolve(EMBEDDER_NAME);
    }

    /** An embedder that must be given (tests and callers outside a command). */
    static FaceEmbedder embedder(Path given) throws IOException {
        return embedder(given, Path.of("models"));
    }

    static boolean isBvm(Path path) {
        return !path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx");
    }

    /** Box area, for "the largest face". */
    static double area(DetectedFace face) {
        return (double) face.box().width() * face.box().height();
    }

    static DetectedFace largest(List<DetectedFace> faces) {
        DetectedFace best = null;
        for (DetectedFace face : faces) {
            if (best == null || area(face) > area(best)) {
                best = face;
            }
        }
        return best;
    }

    static DetectedFace mostConfident(List<DetectedFace> faces) {
        DetectedFace best = null;
        for (DetectedFace face : faces) {
            if (best == null || face.score() > best.score()) {
                best = face;
            }
        }
        return best;
    }

    /**
     * The face's embedding as the job computes it: aligned by its five landmarks to the 112x112 template.
     *
     * @throws IllegalArgumentException when the landmarks cannot align a face (not finite, collinear, all equal)
     */
    static float[] embed(FaceEmbedder embedder, byte[] rgb, int height, int width, DetectedFace face) {
        return embedder.embed(rgb, height, width, face.landmarks());
    }

    /** {@code [x, y, w, h]} rounded to 0.1 px, for reports. */
    static String describe(DetectedFace face) {
        return String.format(Locale.ROOT, "[%.1f, %.1f, %.1f, %.1f] score %.3f", face.box().x(), face.box().y(),
                face.box().width(), face.box().height(), face.score());
    }
}
