package io.bitvision.cli.eval;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Hand labels of one scene (docs/person-model.md, "Scene labels"): for some frames of a video, a box around every
 * person and regions where nothing is counted either way (people too hidden to box, crowds, reflections).
 *
 * @param scene     the scene's name, used in reports
 * @param source    where the video comes from (free text: repository, commit, path)
 * @param minHeight people shorter than this (pixels) are optional: finding them is neither a hit nor a false alarm
 * @param checked   how the labels were made and checked (free text)
 * @param frames    the labelled frames, by their index in the decoded video (0 = first frame)
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record SceneLabels(@JsonProperty(value = "scene", required = true) String scene,
                          @JsonProperty("source") String source,
                          @JsonProperty("min_height") Integer minHeight,
                          @JsonProperty("checked") String checked,
                          @JsonProperty(value = "frames", required = true) List<Frame> frames) {

    /** People this tall or taller must be found unless a file says otherwise (the people >= 40 px). */
    public static final int DEFAULT_MIN_HEIGHT = 40;

    /**
     * @param frame  index of the frame in the decoded video, from 0
     * @param boxes  every person as [x, y, w, h] in frame pixels (COCO convention)
     * @param ignore regions as [x, y, w, h]; a detection mostly inside one is not counted
     * @param ids    optional: who each box is, in the order of {@code boxes} (the same person keeps the same id in
     *               every frame of the file), for measuring tracks
     */
    public record Frame(@JsonProperty(value = "frame", required = true) int frame,
                        @JsonProperty(value = "boxes", required = true) List<float[]> boxes,
                        @JsonProperty("ignore") List<float[]> ignore,
                        @JsonProperty("ids") List<String> ids) {
        public Frame {
            ignore = ignore == null ? List.of() : ignore;
        }

        public Frame(int frame, List<float[]> boxes, List<float[]> ignore) {
            this(frame, boxes, ignore, null);
        }
    }

    /** Whether every frame names who its boxes are (the file can measure tracks). */
    public boolean hasIdentities() {
        return frames.stream().allMatch(f -> f.ids() != null);
    }

    /** A label file that cannot be used; the message names the file and what is wrong. */
    public static final class InvalidLabelsException extends IOException {
        private static final long serialVersionUID = 1L;

        public InvalidLabelsException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    public int minHeightOrDefault() {
        return minHeight == null ? DEFAULT_MIN_HEIGHT : minHeight;
    }

    public static SceneLabels read(Path file) throws IOException {
        SceneLabels labels;
        try {
            labels = MAPPER.readValue(file.toFile(), SceneLabels.class);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new InvalidLabelsException("labels " + file + ": no such file", e);
        } catch (JacksonException e) {
            throw new InvalidLabelsException("labels " + file + " are not scene labels: " + e.getOriginalMessage(), e);
        }
        labels.check(file);
        return labels;
    }

    private void check(Path file) throws InvalidLabelsException {
        if (scene.isBlank() || frames.isEmpty()) {
            throw new InvalidLabelsException("labels " + file + ": a scene name and at least one frame are required", null);
        }
        if (minHeight != null && minHeight < 0) {
            throw new InvalidLabelsException("labels " + file + ": min_height must be >= 0, was " + minHeight, null);
        }
        Set<Integer> seen = new HashSet<>();
        for (Frame f : frames) {
            if (f.frame() < 0 || !seen.add(f.frame())) {
                throw new InvalidLabelsException("labels " + file + ": frame " + f.frame() + " is negative or listed twice", null);
            }
            checkBoxes(file, f, f.boxes(), "boxes");
            if (f.ids() != null && (f.ids().size() != f.boxes().size() || new HashSet<>(f.ids()).size() != f.ids().size()
                    || f.ids().contains(null))) {
                throw new InvalidLabelsException("labels " + file + ", frame " + f.frame()
                        + ": ids must name each box once, in the order of boxes", null);
            }
            checkBoxes(file, f, f.ignore(), "ignore");
        }
    }

    private static void checkBoxes(Path file, Frame f, List<float[]> boxes, String field) throws InvalidLabelsException {
        for (float[] b : boxes) {
            if (b == null || b.length != 4 || !(b[2] > 0 && b[3] > 0) || !Float.isFinite(b[0]) || !Float.isFinite(b[1])) {
                throw new InvalidLabelsException("labels " + file + ", frame " + f.frame() + ": every " + field
                        + " entry must be [x, y, w, h] with w, h > 0, got " + java.util.Arrays.toString(b), null);
            }
        }
    }
}
