package io.bitvision.operators.faces;

import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelFormatException;
import io.bitvision.engine.model.ModelReader;
import io.bitvision.engine.tensor.FloatTensor;
import io.bitvision.engine.tensor.TensorSpec;
import java.util.OptionalDouble;

/**
 * A binary-weight face embedder on our engine: a {@code .bvm} model with metadata {@code task=face-embedding}, input
 * 8-bit RGB 112x112 (the aligned crop, rounded to whole levels), output {@code embedding} float32 [N, 1, 1],
 * L2-normalised here.
 *
 * <p>Serializable: keeps the model bytes and builds its engine (one arena) on first use. Not thread-safe: one per
 * Flink subtask.
 */
public final class EngineFaceEmbedder implements FaceEmbedder {
    private static final long serialVersionUID = 1L;
    static final String OUTPUT = "embedding";

    private final byte[] modelBytes;
    private final String id;
    private final String threshold;
    private transient InferenceEngine engine;
    private transient byte[] pixels;

    public EngineFaceEmbedder(byte[] modelBytes) throws ModelFormatException {
        this.modelBytes = modelBytes.clone();
        Model model = load();
        this.id = "bvm:" + model.name() + ":" + model.version();
        this.threshold = model.metadata().get(THRESHOLD_KEY);
        if (threshold != null) {
            calibratedThreshold();
        }
    }

    /** @throws IllegalArgumentException when the model's threshold is not a number in [-1, 1] */
    @Override
    public OptionalDouble calibratedThreshold() {
        if (threshold == null) {
            return OptionalDouble.empty();
        }
        double value;
        try {
            value = Double.parseDouble(threshold.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("face model " + id + ": " + THRESHOLD_KEY + "='" + threshold + "' is not a number");
        }
        if (!(value >= -1 && value <= 1)) {
            throw new IllegalArgumentException("face model " + id + ": " + THRESHOLD_KEY + " must be a cosine in [-1, 1]: " + value);
        }
        return OptionalDouble.of(value);
    }

    private Model load() throws ModelFormatException {
        Model model = ModelReader.fromBytes(modelBytes);
        if (!"face-embedding".equals(model.metadata().get("task"))) {
            throw new IllegalArgumentException("model '" + model.name() + "' is not a face embedder (task="
                    + model.metadata().get("task") + ")");
        }
        TensorSpec input = model.graph().input();
        if (input.bits() != 8 || input.channels() != 3 || input.height() != AlignedFace.SFACE_SIZE
                || input.width() != AlignedFace.SFACE_SIZE) {
            throw new IllegalArgumentException("face model '" + model.name() + "' must take 8-bit RGB 112x112, takes " + input);
        }
        int at = model.graph().outputNames().indexOf(OUTPUT);
        TensorSpec out = at < 0 ? null : model.graph().spec(model.graph().outputs()[at]);
        if (out == null || out.height() != 1 || out.width() != 1) {
            throw new IllegalArgumentException("face model '" + model.name() + "' needs an output 'embedding' of shape [N,1,1]");
        }
        return model;
    }

    @Override
    public String id() {
        return id;
    }

    /** The crop's values are rounded to whole levels first: the model's input is 8-bit. */
    @Override
    public float[] embedAligned(float[] chw) {
        if (chw.length != 3 * AlignedFace.SFACE_SIZE * AlignedFace.SFACE_SIZE) {
            throw new IllegalArgumentException("an aligned face is 3x112x112 values, not " + chw.length);
        }
        if (engine == null) {
            try {
                engine = InferenceEngine.builder(load()).build();
            } catch (ModelFormatException e) {
                throw new IllegalStateException("face model bytes no longer parse", e);
            }
            pixels = new byte[3 * AlignedFace.SFACE_SIZE * AlignedFace.SFACE_SIZE];
        }
        int plane = AlignedFace.SFACE_SIZE * AlignedFace.SFACE_SIZE;
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < 3; c++) {
                pixels[p * 3 + c] = (byte) Math.max(0, Math.min(255, Math.round(chw[c * plane + p])));
            }
        }
        engine.packImage(pixels);
        engine.run();
        FloatTensor out = (FloatTensor) engine.output(OUTPUT);
        float[] embedding = new float[out.spec().channels()];
        for (int i = 0; i < embedding.length; i++) {
            embedding[i] = out.data()[out.index(i, 0, 0)];
        }
        return Embeddings.normalise(embedding);
    }
}
