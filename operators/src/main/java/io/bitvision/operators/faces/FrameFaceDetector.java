package io.bitvision.operators.faces;

import io.bitvision.engine.face.DetectedFace;
import java.io.Serializable;
import java.util.List;

/**
 * Finds faces with their five landmarks in a frame, as part of a Flink function: serializable, not thread-safe (one
 * per subtask). {@link EngineFaceDetector} runs our binary {@code .bvm} detector; {@link YuNetFaceDetector} runs a
 * float ONNX model in YuNet's layout.
 */
public interface FrameFaceDetector extends Serializable {
    /** Names the detector in reports, health events and enrolment messages. */
    String id();

    /** Faces of {@code rgb} ({@code height x width x 3}, row-major), best first, in its pixels. */
    List<DetectedFace> detect(byte[] rgb, int height, int width);
}
