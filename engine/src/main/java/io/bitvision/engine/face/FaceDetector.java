package io.bitvision.engine.face;

import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.NearestResize;
import io.bitvision.engine.model.MetadataKeys;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.tensor.TensorSpec;
import java.util.List;

/**
 * Finds faces with five landmarks in RGB frames of any size: nearest resize to the model's input, one engine run,
 * {@link CenterFaceDecoder}. Holds one engine arena and its buffers: not thread-safe, one per thread or subtask.
 */
public final class FaceDetector {
    private final Model model;
    private final InferenceEngine engine;
    private final CenterFaceDecoder decoder;
    private final byte[] input;

    /** @throws IllegalArgumentException when the model is not an 8-bit RGB face detector with this decoder */
    public FaceDetector(Model model) {
        String task = model.metadata().get(MetadataKeys.TASK);
        if (!CenterFaceDecoder.TASK.equals(task)) {
            throw new IllegalArgumentException("model '" + model.name() + "' is not a face detector (task=" + task + ")");
        }
        TensorSpec in = model.graph().input();
        if (in.bits() != 8 || in.channels() != 3) {
            throw new IllegalArgumentException("face detector '" + model.name() + "' must take 8-bit RGB, takes " + in);
        }
        this.model = model;
        this.decoder = new CenterFaceDecoder(model);
        this.engine = InferenceEngine.builder(model).build();
        this.input = new byte[in.height() * in.width() * 3];
    }

    public Model model() {
        return model;
    }

    /** Faces in {@code rgb} ({@code height x width x 3}, row-major), best first, in its pixels. */
    public List<DetectedFace> detect(byte[] rgb, int height, int width) {
        TensorSpec in = model.graph().input();
        NearestResize.resize(rgb, height, width, input, in.height(), in.width(), 3);
        engine.packImage(input);
        engine.run();
        return decoder.decode(engine, width, height);
    }
}
