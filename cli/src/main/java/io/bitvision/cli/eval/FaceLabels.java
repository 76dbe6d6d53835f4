package io.bitvision.cli.eval;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hand labels of face photos (docs/face-model.md, "Held-out photos"): each photo's faces as boxes, optionally with
 * five landmarks, and regions where nothing is counted. Photos are named relative to a folder given at run time, so
 * the labels (ours) can be committed while the photos (third-party) stay out of the repository.
 *
 * @param description what the photos are
 * @param source      where they come from (repository, commit, path, licence)
 * @param minSize     faces whose box height is below this (pixels) are optional: neither a hit nor a miss
 * @param iou         the overlap at which a detection finds a face (0.4 by default: hand boxes and detector boxes
 *                    frame a face differently, brow to chin against forehead to chin)
 * @param checked     how the labels were made and checked
 * @param images      the photos
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FaceLabels(@JsonProperty("description") String description,
                         @JsonProperty("source") Map<String, String> source,
                         @JsonProperty("min_size") Integer minSize,
                         @JsonProperty("iou") Double iou,
                         @JsonProperty("checked") String checked,
                         @JsonProperty(value = "images", required = true) List<Image> images) {

    public static final int DEFAULT_MIN_SIZE = 24;
    public static final double DEFAULT_IOU = 0.4;

    /**
     * @param file   the photo, relative to the images folder
     * @param faces  its faces
     * @param ignore regions as [x, y, w, h]; a detection mostly inside one is not counted
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Image(@JsonProperty(value = "file", required = true) String file,
                        @JsonProperty(value = "faces", required = true) List<Face> faces,
                        @JsonProperty("ignore") List<float[]> ignore) {
        public Image {
            ignore = ignore == null ? List.of() : ignore;
        }

        /** The image as one frame of {@link SceneLabels} (frame number = its index), for {@link BoxMatcher}. */
        public SceneLabels.Frame asFrame(int index) {
            List<float[]> boxes = new ArrayList<>(faces.size());
            for (Face f : faces) {
                boxes.add(f.box());
            }
            return new SceneLabels.Frame(index, boxes, ignore);
        }
    }

    /**
     * @param box        [x, y, w, h] in image pixels
     * @param landmarks5 null, or five [x, y] points in the aligner's order (image-left eye, image-right eye, nose
     *                   tip, image-left and image-right mouth corners)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Face(@JsonProperty(value = "box", required = true) float[] box,
                       @JsonProperty("landmarks5") float[][] landmarks5) {}

    public int minSizeOrDefault() {
        return minSize == null ? DEFAULT_MIN_SIZE : minSize;
    }

    public double iouOrDefault() {
        return iou == null ? DEFAULT_IOU : iou;
    }

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    public static FaceLabels read(Path file) throws SceneLabels.InvalidLabelsException {
        FaceLabels labels;
        try {
            labels = MAPPER.readValue(file.toFile(), FaceLabels.class);
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw new SceneLabels.InvalidLabelsException("labels " + file + ": no such file", e);
        } catch (JacksonException e) {
            throw new SceneLabels.InvalidLabelsException("labels " + file + " are not face labels: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new SceneLabels.InvalidLabelsException("labels " + file + ": " + e.getMessage(), e);
        }
        labels.check(file);
        return labels;
    }

    private void check(Path file) throws SceneLabels.InvalidLabelsException {
        if (images.isEmpty()) {
            throw invalid(file, "at least one image is required");
        }
        if (minSize != null && minSize < 0 || iou != null && !(iou > 0 && iou <= 1)) {
            throw invalid(file, "min_size must be >= 0 and iou in (0, 1]");
        }
        Set<String> seen = new HashSet<>();
        for (Image image : images) {
            if (image.file().isBlank() || !seen.add(image.file())) {
                throw invalid(file, "image '" + image.file() + "' is blank or listed twice");
            }
            for (Face f : image.faces()) {
                checkBox(file, image, f.box());
                float[][] lm = f.landmarks5();
                if (lm != null && (lm.length != 5 || Arrays.stream(lm).anyMatch(p -> p == null || p.length != 2))) {
                    throw invalid(file, image.file() + ": landmarks5 must be five [x, y] points");
                }
            }
            for (float[] r : image.ignore()) {
                checkBox(file, image, r);
            }
        }
    }

    private static void checkBox(Path file, Image image, float[] b) throws SceneLabels.InvalidLabelsException {
        if (b == null || b.length != 4 || !(b[2] > 0 && b[3] > 0) || !Float.isFinite(b[0]) || !Float.isFinite(b[1])) {
            throw invalid(file, image.file() + ": boxes must be [x, y, w, h] with w, h > 0, got " + Arrays.toString(b));
        }
    }

    private static SceneLabels.InvalidLabelsException invalid(Path file, String what) {
        return new SceneLabels.InvalidLabelsException("labels " + file + ": " + what, null);
    }
}
