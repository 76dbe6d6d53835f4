package io.bitvision.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;

import io.bitvision.engine.face.DetectedFace;
import io.bitvision.engine.model.ModelFormatException;
import io.bitvision.testkit.report.JsonReports;
import io.bitvision.operators.faces.FaceEmbedder;
import io.bitvision.operators.faces.FrameFaceDetector;
import io.bitvision.schemas.WatchlistUpdate;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * {@code faces}: one image through the face models as the job runs a frame (detect, align by the five landmarks,
 * embed, match against a watchlist file), for operators checking a watchlist by hand. Writes
 * {@code {"image", "detector", "model_id", "threshold", "faces": [{"bbox": [x,y,w,h], "score", "landmarks":
 * [[x,y] x5], "identity", "similarity"}]}}: identity is the best-matching identity when its similarity reaches the
 * threshold, else null; similarity the best cosine over the entries of the same model id, null when there are none
 * (no watchlist, or none enrolled with this model). Also an overlay PNG and one summary line.
 */
@Command(name = "faces", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Faces of one image (detect, align, embed, match against a watchlist file): bbox, score, "
                + "landmarks, identity (null when none passes the threshold), similarity; an overlay PNG beside the JSON.")
public final class FacesCommand extends CliCommand {
    @Option(names = "--image", required = true, paramLabel = "IMAGE")
    Path image;

    @Option(names = "--out", required = true, paramLabel = "RESULT.json")
    Path out;

    @Option(names = "--overlay", paramLabel = "OUT.png", description = "Default: RESULT.png beside the JSON.")
    Path overlay;

    @Option(names = "--watchlist", paramLabel = "FILE", description = "A watchlist file written by enroll --watchlist.")
    Path watchlist;

    @Option(names = "--threshold", paramLabel = "T", description = "Cosine threshold (default: the model's calibrated one).")
    Double threshold;

    @Mixin
    FaceModelOptions models = new FaceModelOptions();

    /** @return the exit status: 0 done, 1 a model, image or watchlist could not be used, 2 bad arguments */
    @Override
    public Integer call() throws IOException {
        if (threshold != null && !(threshold >= -1 && threshold <= 1)) {
            throw usageError("--threshold is a cosine similarity, between -1 and 1, got " + threshold);
        }
        return run(new Options(image, out, overlay != null ? overlay : Options.besideJson(out), watchlist, threshold,
                models.detector, models.faceModel, models.modelsDir, models.faceTiles), super.out, err);
    }

    private static final Color MATCHED = new Color(40, 220, 60);
    private static final Color UNMATCHED = new Color(255, 190, 0);

    record Options(Path image, Path out, Path overlay, Path watchlist, Double threshold, Path detector, Path faceModel,
                   Path modelsDir, int faceTiles) {
        /** result.json -> result.png; a name without .json gets .png added (as infer does). */
        static Path besideJson(Path out) {
            String name = out.getFileName().toString();
            String stem = name.toLowerCase(Locale.ROOT).endsWith(".json") ? name.substring(0, name.length() - 5) : name;
            return out.resolveSibling(stem + ".png");
        }
    }

    /** One face of the image with its match. */
    record Face(DetectedFace face, WatchlistUpdate identity, Float similarity) {}

    /** @return the exit status: 0 done, 1 a model, image or watchlist could not be used, 2 bad arguments */
    static int run(Options options, PrintStream out, PrintStream err) throws IOException {
        try {
            List<WatchlistUpdate> watchlist = List.of();
            if (options.watchlist() != null) {
                try {
                    watchlist = WatchlistFile.active(WatchlistFile.read(options.watchlist()));
                } catch (NoSuchFileException e) {
                    err.println("faces: watchlist " + options.watchlist() + ": no such file");
                    return 1;
                }
            }
            FrameFaceDetector detector = FaceModels.detector(options.detector(), options.modelsDir(), options.faceTiles());
            FaceEmbedder embedder = FaceModels.embedder(options.faceModel(), options.modelsDir());
            Double threshold = threshold(options, embedder);
            BufferedImage image = ImageFiles.readRgb(options.image());
            int width = image.getWidth();
            int height = image.getHeight();
            byte[] rgb = ImageFiles.rgbBytes(image);
            List<DetectedFace> detected = detector.detect(rgb, height, width);
            List<Face> faces = new ArrayList<>(detected.size());
            for (DetectedFace face : detected) {
                float[] embedding;
                try {
                    embedding = FaceModels.embed(embedder, rgb, height, width, face);
                } catch (IllegalArgumentException e) {
                    err.println("faces: warning: face " + FaceModels.describe(face) + " not matched: its landmarks "
                            + "cannot be aligned (" + e.getMessage() + ")");
                    faces.add(new Face(face, null, null));
                    continue;
                }
                WatchlistFile.Match match = WatchlistFile.best(watchlist, embedder.id(), embedding);
                faces.add(new Face(face, threshold == null ? null : match.passing(threshold), match.similarity()));
            }

            if (options.out().toAbsolutePath().getParent() != null) {
                Files.createDirectories(options.out().toAbsolutePath().getParent());
            }
            Files.writeString(options.out(), JsonReports.write(report(options.image(), detector.id(), embedder.id(),
                    threshold, faces)));
            paint(image, faces);
            ImageFiles.writePng(image, options.overlay());
            out.println(summary(options, width, height, faces, threshold, watchlist.size()));
            return 0;
        } catch (MissingFaceModelException | UnreadableImageException | WatchlistFile.MalformedWatchlistException e) {
            err.println("faces: " + e.getMessage());
            return 1;
        } catch (ModelFormatException e) {
            err.println("faces: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("faces: " + e.getMessage());
            return 1;
        }
    }

    /**
     * --threshold, else the embedder's calibrated threshold; matching against a watchlist needs one of them.
     * Null when there is neither and nothing to match.
     */
    private static Double threshold(Options options, FaceEmbedder embedder) {
        if (options.threshold() != null) {
            return options.threshold();
        }
        OptionalDouble calibrated = embedder.calibratedThreshold();
        if (calibrated.isPresent()) {
            return calibrated.getAsDouble();
        }
        if (options.watchlist() != null) {
            throw new IllegalArgumentException("the face model " + embedder.id() + " has no calibrated threshold "
                    + "(metadata " + FaceEmbedder.THRESHOLD_KEY + "): pass --threshold T, or calibrate it with "
                    + "./bitvision calibrate --images DIR --write-threshold");
        }
        return null;
    }

    static Map<String, Object> report(Path image, String detectorId, String modelId, Double threshold, List<Face> faces) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("image", image.toString());
        json.put("detector", detectorId);
        json.put("model_id", modelId);
        json.put("threshold", threshold);
        List<Object> list = new ArrayList<>(faces.size());
        for (Face f : faces) {
            DetectedFace face = f.face();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("bbox", List.of(round(face.box().x()), round(face.box().y()), round(face.box().width()),
                    round(face.box().height())));
            entry.put("score", (double) face.score());
            float[] landmarks = face.landmarks();
            List<Object> points = new ArrayList<>(landmarks.length / 2);
            for (int i = 0; i + 1 < landmarks.length; i += 2) {
                points.add(List.of(round(landmarks[i]), round(landmarks[i + 1])));
            }
            entry.put("landmarks", points);
            entry.put("identity", f.identity() == null ? null : f.identity().getIdentityId());
            entry.put("similarity", f.similarity() == null ? null : (double) f.similarity());
            list.add(entry);
        }
        json.put("faces", list);
        return json;
    }

    /** Pixel coordinates to 0.01 px. */
    private static double round(float v) {
        return Math.round(v * 100.0) / 100.0;
    }

    /** Boxes (green: on the watchlist, amber: not), the five landmarks, and identity and similarity above each box. */
    static void paint(BufferedImage image, List<Face> faces) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.setStroke(new BasicStroke(2f));
        for (Face f : faces) {
            DetectedFace face = f.face();
            g.setColor(f.identity() != null ? MATCHED : UNMATCHED);
            int x = Math.round(face.box().x());
            int y = Math.round(face.box().y());
            g.drawRect(x, y, Math.round(face.box().width()), Math.round(face.box().height()));
            float[] landmarks = face.landmarks();
            int r = Math.max(2, Math.round(face.box().width() / 40));
            for (int i = 0; i + 1 < landmarks.length; i += 2) {
                g.fillOval(Math.round(landmarks[i]) - r, Math.round(landmarks[i + 1]) - r, 2 * r + 1, 2 * r + 1);
            }
            g.drawString(label(f), x + 2, Math.max(14, y - 4));
        }
        g.dispose();
    }

    private static String label(Face f) {
        String who = f.identity() == null ? "?" : f.identity().getDisplayName() != null
                ? f.identity().getDisplayName() : f.identity().getIdentityId();
        return f.similarity() == null ? String.format(Locale.ROOT, "face %.2f", f.face().score())
                : String.format(Locale.ROOT, "%s %.2f", who, f.similarity());
    }

    private static String summary(Options options, int width, int height, List<Face> faces, Double threshold,
                                  int enrolled) {
        List<String> matched = faces.stream().filter(f -> f.identity() != null)
                .map(f -> String.format(Locale.ROOT, "%s %.3f", f.identity().getIdentityId(), f.similarity())).toList();
        String matching = options.watchlist() == null ? "no watchlist"
                : String.format(Locale.ROOT, "%d matched at threshold %s against %d identities of %s%s", matched.size(),
                        JsonReports.number(threshold), enrolled, options.watchlist(), matched.isEmpty() ? "" : " (" + String.join(", ", matched) + ")");
        return String.format(Locale.ROOT, "faces: %d face%s in %s (%dx%d), %s -> %s, %s", faces.size(),
                faces.size() == 1 ? "" : "s", options.image(), width, height, matching, options.out(), options.overlay());
    }
}
