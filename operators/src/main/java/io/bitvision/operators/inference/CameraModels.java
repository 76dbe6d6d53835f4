package io.bitvision.operators.inference;

import io.bitvision.engine.ArenaBoundExceededException;
import io.bitvision.engine.model.ModelFormatException;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The engines of one inference subtask: one {@link FrameAnalyzer} (one arena, bounded on its own) per model in use.
 * A camera runs, in this order: the model its registry record names (one of the job's named models,
 * {@code --named-model NAME=PATH}), the model assigned to its id ({@code --camera-model ID=PATH}), or the job's
 * default model. The default model is loaded when the subtask opens and a failure there fails the job (fail closed);
 * a camera's own model is loaded at the camera's first frame, and if it cannot run (a corrupt or truncated file, an
 * arena over the bound, a model that does not take RGB frames, a name the job was not given) the reason is kept,
 * that camera's frames get {@link UnusableModelException} and the other cameras go on. Not thread-safe: one per
 * subtask.
 */
public final class CameraModels implements AutoCloseable {

    /** What the job ships: the default model, the models assigned to camera ids and the models cameras may name. */
    public record Assignment(ModelRef defaultModel, Map<String, ModelRef> byCamera, Map<String, ModelRef> byName)
            implements Serializable {
        public Assignment {
            Objects.requireNonNull(defaultModel, "default model");
            byCamera = Map.copyOf(byCamera);
            byName = Map.copyOf(byName);
        }

        public static Assignment of(ModelRef defaultModel) {
            return new Assignment(defaultModel, Map.of(), Map.of());
        }
    }

    /** Builds the analyzer of one model; the job's is {@code new FrameAnalyzer(SharedModels.get(ref), ...)}. */
    @FunctionalInterface
    public interface AnalyzerFactory {
        FrameAnalyzer open(ModelRef ref) throws ModelFormatException;
    }

    /** A camera's model could not be loaded or does not fit; the message names the camera's model and why. */
    public static final class UnusableModelException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnusableModelException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Assignment assignment;
    private final AnalyzerFactory factory;
    private final FrameAnalyzer defaultAnalyzer;
    /** By model description (its file): a FrameAnalyzer, or the UnusableModelException it gave. */
    private final Map<String, Object> loaded = new LinkedHashMap<>();
    /** By camera id: the refusal of a model name the job was not given, built once (the camera sends every frame). */
    private final Map<String, UnusableModelException> unknownNames = new LinkedHashMap<>();

    public CameraModels(Assignment assignment, AnalyzerFactory factory) throws ModelFormatException {
        this.assignment = assignment;
        this.factory = factory;
        this.defaultAnalyzer = factory.open(assignment.defaultModel());
    }

    /** The analyzer of a camera that names no model, loaded on first use. */
    public FrameAnalyzer forCamera(String cameraId) {
        return forCamera(cameraId, null);
    }

    /**
     * The analyzer of the camera's model, loaded on first use.
     *
     * @param namedModel the model name the camera's registry record asks for, or null
     */
    public FrameAnalyzer forCamera(String cameraId, String namedModel) {
        ModelRef ref;
        if (namedModel != null) {
            ref = assignment.byName().get(namedModel);
            if (ref == null) {
                throw unknownNames.computeIfAbsent(cameraId, id -> new UnusableModelException("camera " + id
                        + " asks for model '" + namedModel + "', which this job was not given (start it with "
                        + "--named-model " + namedModel + "=PATH; it has " + (assignment.byName().isEmpty() ? "none"
                        : new java.util.TreeSet<>(assignment.byName().keySet())) + ")", null));
            }
        } else {
            ref = assignment.byCamera().get(cameraId);
            if (ref == null) {
                return defaultAnalyzer;
            }
        }
        Object found = loaded.computeIfAbsent(ref.description(), key -> load(cameraId, ref));
        if (found instanceof UnusableModelException unusable) {
            throw unusable;
        }
        return (FrameAnalyzer) found;
    }

    private Object load(String cameraId, ModelRef ref) {
        try {
            return factory.open(ref);
        } catch (ModelFormatException | ArenaBoundExceededException | IllegalArgumentException e) {
            return new UnusableModelException("model " + ref.description() + " of camera " + cameraId
                    + " cannot run: " + e.getMessage(), e);
        }
    }

    /** The default model's analyzer: its kernels and threads are the subtask's. */
    public FrameAnalyzer defaultAnalyzer() {
        return defaultAnalyzer;
    }

    /** Arena bytes of every loaded engine together. */
    public long arenaBytes() {
        long total = defaultAnalyzer.arenaBytes();
        for (Object value : loaded.values()) {
            if (value instanceof FrameAnalyzer analyzer) {
                total += analyzer.arenaBytes();
            }
        }
        return total;
    }

    /** Engines loaded so far, the default included. */
    public int enginesLoaded() {
        return 1 + (int) loaded.values().stream().filter(FrameAnalyzer.class::isInstance).count();
    }

    @Override
    public void close() {
        defaultAnalyzer.close();
        for (Object value : loaded.values()) {
            if (value instanceof FrameAnalyzer analyzer) {
                analyzer.close();
            }
        }
    }
}
