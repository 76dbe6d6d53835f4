package io.bitvision.operators.source;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;

/**
 * One camera as configured: id, input URI, target frame rate, extra FFmpeg options (for example
 * {@code rtsp_transport=udp}) and the name of the model it asks for. What {@link VideoSource.Builder#camera} and a
 * {@link CameraDiscovery} produce.
 *
 * @param id unique camera id (also the split id and the metric group value)
 * @param uri a file path, {@code file://}, {@code http(s)://}, {@code rtsp://} or any other FFmpeg URL
 * @param targetFps frames per second to emit at most; 0 emits every frame
 * @param ffmpegOptions options passed to {@code avformat_open_input}, overriding the source's defaults
 * @param model the name of the model this camera asks for (a camera registry record's {@code model}), one the job
 *     was given with {@code --named-model NAME=PATH}; empty for the job's own choice
 */
public record CameraSpec(String id, String uri, double targetFps, Map<String, String> ffmpegOptions, String model)
        implements Serializable {
    private static final java.util.regex.Pattern MODEL_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,128}");

    public CameraSpec {
        Objects.requireNonNull(id, "camera id");
        Objects.requireNonNull(uri, "camera uri");
        if (id.isBlank()) {
            throw new IllegalArgumentException("camera id is blank");
        }
        if (uri.isBlank()) {
            throw new IllegalArgumentException("uri of camera " + id + " is blank");
        }
        if (!(targetFps >= 0) || Double.isInfinite(targetFps)) {
            throw new IllegalArgumentException("targetFps of camera " + id + " must be >= 0, got " + targetFps);
        }
        ffmpegOptions = ffmpegOptions == null ? Map.of() : Map.copyOf(ffmpegOptions);
        model = model == null ? "" : model;
        if (!model.isEmpty()) {
            try {
                checkModelName(model);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("camera " + id + ": " + e.getMessage());
            }
        }
    }

    /** Refuses a model name that is not 1-128 letters, digits, '.', '_' or '-' (names travel in records and logs). */
    public static void checkModelName(String name) {
        if (name == null || !MODEL_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a model name is 1-128 letters, digits, '.', '_' or '-', got '" + name + "'");
        }
    }

    public CameraSpec(String id, String uri, double targetFps, Map<String, String> ffmpegOptions) {
        this(id, uri, targetFps, ffmpegOptions, "");
    }

    public CameraSpec(String id, String uri, double targetFps) {
        this(id, uri, targetFps, Map.of());
    }

    /** Without credentials in the URI or secret-looking FFmpeg options, for logs. */
    @Override
    public String toString() {
        return "CameraSpec[id=" + id + ", uri=" + io.bitvision.operators.security.Redaction.text(uri) + ", targetFps="
                + targetFps + ", ffmpegOptions=" + io.bitvision.operators.security.Redaction.map(ffmpegOptions)
                + (model.isEmpty() ? "" : ", model=" + model) + "]";
    }
}
