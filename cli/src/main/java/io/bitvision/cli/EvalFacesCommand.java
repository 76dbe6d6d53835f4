package io.bitvision.cli;

import io.bitvision.cli.eval.BoxMatcher;
import io.bitvision.cli.eval.EvalSheet;
import io.bitvision.cli.eval.FaceLabels;
import io.bitvision.cli.eval.SceneLabels;
import io.bitvision.engine.face.DetectedFace;
import io.bitvision.operators.faces.FrameFaceDetector;
import io.bitvision.testkit.report.JsonReports;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code eval-faces}: a face detector (ours, or a YuNet-layout ONNX file) on hand-labelled photos, run as the job runs
 * it: recall by face size, precision, landmark error. Running it once per detector on the same labels puts a teacher
 * beside our model on the same faces.
 */
@Command(name = "eval-faces", mixinStandardHelpOptions = true, sortOptions = false,
        description = "A face detector on hand-labelled photos (labels: docs/face-model.md): recall for faces of at "
                + "least min_size px (and by size: 24-48, 48-96, 96+), precision, landmark error over the eye distance; "
                + "a JSON report and a contact sheet.")
public final class EvalFacesCommand extends CliCommand {
    /** Lower edges of the size buckets (label box height, px); the last is open. */
    static final int[] BUCKETS = {24, 48, 96};

    @Option(names = "--labels", required = true, paramLabel = "L.json", description = "Face labels of the photos.")
    Path labels;

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "The folder the labels' files are in.")
    Path images;

    @Option(names = "--face-detector", paramLabel = "M.bvm|M.onnx",
            description = "Default: " + FaceModels.DETECTOR_NAME + " in --models-dir.")
    Path detectorFile;

    @Option(names = "--face-tiles", paramLabel = "N", defaultValue = "1",
            description = "Also detect on N x N overlapping tiles (default 1: the whole image only).")
    int faceTiles;

    @Option(names = "--models-dir", paramLabel = "DIR", defaultValue = "models")
    Path modelsDir;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Default: bench-results/eval-faces-LABELS-DETECTOR.json (names from the two files).")
    Path reportFile;

    @Option(names = "--sheet", paramLabel = "PNG", description = "Default: the report's name with .png.")
    Path sheet;

    /** Counts of one size bucket. */
    static final class Bucket {
        final int from;
        final int to;
        int faces;
        int found;

        Bucket(int from, int to) {
            this.from = from;
            this.to = to;
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("size", to == Integer.MAX_VALUE ? from + "+" : from + "-" + to);
            m.put("faces", faces);
            m.put("found", found);
            m.put("recall", faces == 0 ? null : (double) found / faces);
            return m;
        }
    }

    @Override
    public Integer call() throws IOException {
        FaceLabels set;
        FrameFaceDetector detector;
        Path detectorPath = detectorFile != null ? detectorFile : modelsDir.resolve(FaceModels.DETECTOR_NAME);
        try {
            set = FaceLabels.read(labels);
            detector = FaceModels.detector(detectorFile, modelsDir, faceTiles);
        } catch (SceneLabels.InvalidLabelsException | MissingFaceModelException | IllegalArgumentException e) {
            err.println("eval-faces: " + e.getMessage());
            return 1;
        } catch (io.bitvision.engine.model.ModelFormatException e) {
            err.println("eval-faces: --face-detector " + detectorPath + ": " + e.getMessage());
            return 1;
        }
        String stem = labels.getFileName().toString().replaceFirst("\\.json$", "");
        String detectorStem = detectorPath.getFileName().toString().replaceFirst("\\.(bvm|onnx)$", "")
                + (faceTiles > 1 ? "-tiles" + faceTiles : "");
        Path report = reportFile != null ? reportFile
                : Path.of("bench-results", "eval-faces-" + stem + "-" + detectorStem + ".json");
        Path sheetFile = sheet != null ? sheet : report.resolveSibling(report.getFileName().toString()
                .replaceFirst("\\.json$", "") + ".png");
        int minSize = set.minSizeOrDefault();
        double iou = set.iouOrDefault();

        List<Bucket> buckets = new ArrayList<>();
        for (int i = 0; i < BUCKETS.length; i++) {
            buckets.add(new Bucket(BUCKETS[i], i + 1 < BUCKETS.length ? BUCKETS[i + 1] : Integer.MAX_VALUE));
        }
        int required = 0;
        int hits = 0;
        int falseAlarms = 0;
        List<Double> landmarkErrors = new ArrayList<>();
        List<Long> nanos = new ArrayList<>();
        List<Map<String, Object>> perImage = new ArrayList<>();
        EvalSheet drawn = new EvalSheet();
        for (int index = 0; index < set.images().size(); index++) {
            FaceLabels.Image image = set.images().get(index);
            Path file = images.resolve(image.file());
            BufferedImage decoded;
            try {
                decoded = ImageFiles.readRgb(file);
            } catch (UnreadableImageException e) {
                err.println("eval-faces: " + e.getMessage());
                return 1;
            }
            int width = decoded.getWidth();
            int height = decoded.getHeight();
            byte[] rgb = ImageFiles.rgbBytes(decoded);
            long start = System.nanoTime();
            List<DetectedFace> faces = detector.detect(rgb, height, width);
            nanos.add(System.nanoTime() - start);
            List<BoxMatcher.Detection> detections = new ArrayList<>(faces.size());
            for (DetectedFace f : faces) {
                detections.add(new BoxMatcher.Detection(new float[] {f.box().x(), f.box().y(), f.box().width(),
                        f.box().height()}, f.score()));
            }
            SceneLabels.Frame frame = image.asFrame(index);
            BoxMatcher.FrameResult result = BoxMatcher.match(detections, frame, minSize, iou);
            boolean[] found = new boolean[image.faces().size()];
            for (int d = 0; d < detections.size(); d++) {
                int label = result.labelOf()[d];
                if (result.outcomes().get(d) == BoxMatcher.Outcome.HIT) {
                    found[label] = true;
                    FaceLabels.Face truth = image.faces().get(label);
                    if (truth.landmarks5() != null) {
                        landmarkErrors.add(landmarkError(truth.landmarks5(), faces.get(d).landmarks()));
                    }
                }
            }
            for (int j = 0; j < found.length; j++) {
                float h = image.faces().get(j).box()[3];
                for (Bucket b : buckets) {
                    if (h >= b.from && h < b.to && h >= minSize) {
                        b.faces++;
                        b.found += found[j] ? 1 : 0;
                    }
                }
            }
            required += result.required();
            hits += result.hits();
            falseAlarms += result.falseAlarms();
            drawn.add(rgb, height, width, frame, minSize, detections, result);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("file", image.file());
            row.put("faces", result.required());
            row.put("found", result.hits());
            row.put("false_alarms", result.falseAlarms());
            row.put("detections", detections.size());
            perImage.add(row);
        }

        double recall = required == 0 ? Double.NaN : (double) hits / required;
        double precision = hits + falseAlarms == 0 ? Double.NaN : (double) hits / (hits + falseAlarms);
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("labels", labels.toString());
        json.put("description", set.description());
        json.put("source", set.source());
        json.put("checked", set.checked());
        json.put("images", set.images().size());
        json.put("min_size", minSize);
        json.put("iou", iou);
        json.put("detector", detector.id());
        json.put("detector_file", detectorPath.toString());
        json.put("face_tiles", faceTiles);
        json.put("faces", required);
        json.put("found", hits);
        json.put("false_alarms", falseAlarms);
        json.put("recall", recall);
        json.put("precision", precision);
        json.put("by_size", buckets.stream().map(Bucket::json).toList());
        json.put("landmark_error", landmarkErrors.isEmpty() ? null
                : landmarkErrors.stream().mapToDouble(Double::doubleValue).average().orElseThrow());
        json.put("landmark_faces", landmarkErrors.size());
        json.put("median_ms_per_image", sorted.length == 0 ? null : sorted[sorted.length / 2] / 1e6);
        json.put("per_image", perImage);
        json.put("sheet", sheetFile.toString());
        json.put("date", Instant.now().toString());
        if (report.toAbsolutePath().getParent() != null) {
            Files.createDirectories(report.toAbsolutePath().getParent());
        }
        Files.writeString(report, JsonReports.write(json));
        drawn.write(sheetFile);
        StringBuilder bySize = new StringBuilder();
        for (Bucket b : buckets) {
            Map<String, Object> j = b.json();
            bySize.append(String.format(Locale.ROOT, " %s px %d/%d;", j.get("size"), b.found, b.faces));
        }
        out.printf(Locale.ROOT, "eval-faces: %s on %s: %d images, recall %.3f (%d/%d faces >= %d px), precision %.3f "
                        + "(%d false), by size:%s landmark error %s%n", detector.id(), stem, set.images().size(), recall,
                hits, required, minSize, precision, falseAlarms, bySize,
                landmarkErrors.isEmpty() ? "-" : String.format(Locale.ROOT, "%.3f of the eye distance (%d faces)",
                        (double) json.get("landmark_error"), landmarkErrors.size()));
        out.println("eval-faces: wrote " + report + " and " + sheetFile);
        return 0;
    }

    /** Mean distance of the five points over the labelled eye distance. */
    static double landmarkError(float[][] truth, float[] predicted) {
        double eyes = Math.hypot(truth[0][0] - truth[1][0], truth[0][1] - truth[1][1]);
        double sum = 0;
        for (int i = 0; i < 5; i++) {
            sum += Math.hypot(truth[i][0] - predicted[2 * i], truth[i][1] - predicted[2 * i + 1]);
        }
        return eyes > 0 ? sum / 5 / eyes : Double.NaN;
    }

}
