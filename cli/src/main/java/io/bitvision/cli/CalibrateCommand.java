package io.bitvision.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;

import io.bitvision.engine.face.DetectedFace;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelFormatException;
import io.bitvision.engine.model.ModelReader;
import io.bitvision.engine.model.ModelWriter;
import io.bitvision.testkit.report.JsonReports;
import io.bitvision.operators.faces.EngineFaceEmbedder;
import io.bitvision.operators.faces.Embeddings;
import io.bitvision.operators.faces.FaceEmbedder;
import io.bitvision.operators.faces.FrameFaceDetector;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code calibrate}: the embedder's match threshold at a stated false-accept rate, measured on a held-out set of
 * faces. DIR holds one sub-folder per identity with its images (PNG or JPEG); in each image the detector's most
 * confident face is aligned and embedded as the job does it (images without a face are counted as no_face). Every
 * pair of faces is scored by cosine: same folder = genuine, different folders = impostor. The threshold is
 * {@link FarThreshold}'s (training's threshold_at_far). {@code --write-threshold} stores it in the embedder's .bvm
 * metadata ({@value #THRESHOLD_KEY}, {@value #FAR_KEY}, {@value #CALIBRATION_KEY}), where {@code faces} and the job
 * read it; the model's name and version, hence its model id and the watchlist's embeddings, stay valid.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The match threshold at a false-accept rate on held-out faces (DIR/<identity>/<image>.png|.jpg, "
                + "one folder per identity): threshold, FAR, TAR, accuracy, pair counts.",
                "--write-threshold stores it in the embedder's metadata (match.threshold), where faces and run read it."})
public final class CalibrateCommand extends CliCommand {
    static final String THRESHOLD_KEY = FaceEmbedder.THRESHOLD_KEY;
    static final String FAR_KEY = "match.far";
    static final String CALIBRATION_KEY = "match.calibration";
    static final double DEFAULT_FAR = 0.01;
    static final double[] TABLE_FARS = {0.1, 0.01, 0.001};

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "One folder of images per identity.")
    Path images;

    @Option(names = "--far", paramLabel = "F", defaultValue = "0.01", description = "False-accept rate (default ${DEFAULT-VALUE}).")
    double far;

    @Mixin
    FaceModelOptions models = new FaceModelOptions();

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "calibration.json")
    Path out;

    @Option(names = "--write-threshold", description = "Store the threshold in the .bvm embedder's metadata.")
    boolean writeThreshold;

    /** @return the exit status: 0 done, 1 a model, image or the set could not be used, 2 bad arguments */
    @Override
    public Integer call() throws IOException {
        if (!(far > 0 && far < 1)) {
            throw usageError("--far is a false-accept rate, above 0 and below 1, got " + far);
        }
        if (writeThreshold && models.faceModel != null && !FaceModels.isBvm(models.faceModel)) {
            throw usageError("--write-threshold writes into a .bvm model's metadata; " + models.faceModel
                    + " is ONNX (give its threshold to faces with --threshold, to run with --face-threshold)");
        }
        return run(new Options(images, far, models.detector, models.faceModel, out, writeThreshold, models.modelsDir,
                models.faceTiles),
                super.out, err);
    }

    record Options(Path images, double far, Path detector, Path faceModel, Path out, boolean writeThreshold,
                   Path modelsDir, int faceTiles) {}

    /** One identity's folder and its images. */
    record Identity(String name, List<Path> images) {}

    /** A face that made it into the pairs. */
    record Embedded(int identity, Path image, float[] embedding) {}

    /** Genuine and impostor scores of all pairs. */
    record Pairs(double[] genuine, double[] impostor) {}

    /** A calibration set that cannot give a threshold (no pairs of one kind, no images); the message says why. */
    static final class UnusableSetException extends Exception {
        private static final long serialVersionUID = 1L;

        UnusableSetException(String message) {
            super(message);
        }
    }

    /** @return the exit status: 0 done, 1 a model, image or the set could not be used, 2 bad arguments */
    static int run(Options options, PrintStream out, PrintStream err) throws IOException {
        try {
            List<Identity> identities = identities(options.images(), err);
            FrameFaceDetector detector = FaceModels.detector(options.detector(), options.modelsDir(), options.faceTiles());
            FaceEmbedder embedder = FaceModels.embedder(options.faceModel(), options.modelsDir());
            Path modelFile = FaceModels.embedderPath(options.faceModel(), options.modelsDir());
            int imageCount = identities.stream().mapToInt(id -> id.images().size()).sum();
            out.printf(Locale.ROOT, "calibrate: %d images in %d identity folders of %s; detector %s, model %s%n",
                    imageCount, identities.size(), options.images(), detector.id(), embedder.id());

            List<Embedded> faces = new ArrayList<>();
            List<String> noFace = new ArrayList<>();
            List<String> unaligned = new ArrayList<>();
            int done = 0;
            for (int i = 0; i < identities.size(); i++) {
                for (Path image : identities.get(i).images()) {
                    BufferedImage decoded = ImageFiles.readRgb(image);
                    int width = decoded.getWidth();
                    int height = decoded.getHeight();
                    byte[] rgb = ImageFiles.rgbBytes(decoded);
                    DetectedFace face = FaceModels.mostConfident(detector.detect(rgb, height, width));
                    if (face == null) {
                        noFace.add(options.images().relativize(image).toString());
                    } else {
                        try {
                            faces.add(new Embedded(i, image, FaceModels.embed(embedder, rgb, height, width, face)));
                        } catch (IllegalArgumentException e) {
                            unaligned.add(options.images().relativize(image).toString());
                        }
                    }
                    if (++done % 100 == 0) {
                        err.printf(Locale.ROOT, "calibrate: %d/%d images%n", done, imageCount);
                    }
                }
            }
            Pairs pairs = pairs(faces);
            int identitiesUsed = (int) faces.stream().mapToInt(Embedded::identity).distinct().count();
            if (pairs.genuine().length == 0 || pairs.impostor().length == 0) {
                throw new UnusableSetException(String.format(Locale.ROOT, "%d faces of %d identities give %d genuine and "
                                + "%d impostor pairs (%d images without a face); a threshold needs both: two or more "
                                + "faces of one identity and two or more identities", faces.size(), identitiesUsed,
                        pairs.genuine().length, pairs.impostor().length, noFace.size()));
            }
            FarThreshold.Rates rates = FarThreshold.at(pairs.genuine(), pairs.impostor(), options.far());
            List<FarThreshold.Rates> table = new ArrayList<>();
            for (double far : TABLE_FARS) {
                table.add(FarThreshold.at(pairs.genuine(), pairs.impostor(), far));
            }

            Map<String, Object> report = new LinkedHashMap<>();
            report.put("images_dir", options.images().toString());
            report.put("model_id", embedder.id());
            report.put("model_file", modelFile.toString());
            report.put("detector", detector.id());
            report.put("far_target", options.far());
            report.put("threshold", rates.threshold());
            report.put("far", rates.far());
            report.put("tar", rates.tar());
            report.put("accuracy", rates.accuracy());
            report.put("resolvable", rates.resolvable());
            report.put("genuine_pairs", pairs.genuine().length);
            report.put("impostor_pairs", pairs.impostor().length);
            report.put("identities", identitiesUsed);
            report.put("identity_folders", identities.size());
            report.put("images", imageCount);
            report.put("faces", faces.size());
            report.put("no_face", noFace.size());
            report.put("no_face_images", noFace);
            report.put("unaligned", unaligned.size());
            report.put("unaligned_images", unaligned);
            Map<String, Object> similarity = new LinkedHashMap<>();
            similarity.put("genuine_mean", mean(pairs.genuine()));
            similarity.put("impostor_mean", mean(pairs.impostor()));
            similarity.put("impostor_max", Arrays.stream(pairs.impostor()).max().orElse(Double.NaN));
            report.put("similarity", similarity);
            List<Object> rows = new ArrayList<>();
            for (FarThreshold.Rates row : table) {
                rows.add(row(row));
            }
            report.put("at_far", rows);
            String calibration = String.format(Locale.ROOT, "%s: %d identities, %d images (%d no face), %d genuine / "
                            + "%d impostor pairs; FAR %s, TAR %s at target %s; detector %s",
                    options.images().toAbsolutePath().normalize().getFileName(), identitiesUsed, imageCount,
                    noFace.size(), pairs.genuine().length, pairs.impostor().length, JsonReports.number(rates.far()),
                    JsonReports.number(rates.tar()), JsonReports.number(options.far()), detector.id());
            report.put("written_to_model", null);

            out.printf(Locale.ROOT, "%d identities, %d images, %d faces (no_face %d, unaligned %d): %d genuine, %d "
                            + "impostor pairs%n", identitiesUsed, imageCount, faces.size(), noFace.size(), unaligned.size(),
                    pairs.genuine().length, pairs.impostor().length);
            out.printf(Locale.ROOT, "threshold %.6f at FAR <= %s: FAR %.4f, TAR %.4f, accuracy %.4f%s%n", rates.threshold(),
                    JsonReports.number(options.far()), rates.far(), rates.tar(), rates.accuracy(),
                    rates.resolvable() ? "" : " (too few impostor pairs to measure this FAR: threshold above all of them)");
            out.println("  FAR target  threshold   FAR      TAR      accuracy");
            for (FarThreshold.Rates row : table) {
                out.printf(Locale.ROOT, "  %-10s  %.6f  %.4f   %.4f   %.4f%s%n", JsonReports.number(row.farTarget()),
                        row.threshold(), row.far(), row.tar(), row.accuracy(),
                        row.resolvable() ? "" : "   (needs " + (int) Math.ceil(1 / row.farTarget()) + "+ impostor pairs)");
            }
            if (options.writeThreshold()) {
                writeThreshold(modelFile, embedder, rates.threshold(), options.far(), calibration);
                Map<String, Object> written = new LinkedHashMap<>();
                written.put("file", modelFile.toString());
                written.put(THRESHOLD_KEY, Double.toString(rates.threshold()));
                written.put(FAR_KEY, Double.toString(options.far()));
                written.put(CALIBRATION_KEY, calibration);
                report.put("written_to_model", written);
                out.println("wrote " + THRESHOLD_KEY + "=" + rates.threshold() + ", " + FAR_KEY + "=" + options.far()
                        + " into " + modelFile + " (model id " + embedder.id() + " unchanged)");
            }
            if (options.out().toAbsolutePath().getParent() != null) {
                Files.createDirectories(options.out().toAbsolutePath().getParent());
            }
            Files.writeString(options.out(), JsonReports.write(report));
            out.println("wrote " + options.out());
            return 0;
        } catch (MissingFaceModelException | UnreadableImageException e) {
            err.println("calibrate: " + e.getMessage());
            return 1;
        } catch (ModelFormatException e) {
            err.println("calibrate: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 1;
        } catch (UnusableSetException | IllegalArgumentException | IllegalStateException e) {
            err.println("calibrate: " + e.getMessage());
            return 1;
        }
    }

    /** The identity folders of {@code dir}, sorted, each with its PNG and JPEG files, sorted. */
    static List<Identity> identities(Path dir, PrintStream err) throws IOException, UnusableSetException {
        if (!Files.isDirectory(dir)) {
            throw new UnusableSetException("--images " + dir + ": not a directory");
        }
        List<Identity> identities = new ArrayList<>();
        int loose = 0;
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : entries.sorted().toList()) {
                if (entry.getFileName().toString().startsWith(".")) {
                    continue;
                }
                if (!Files.isDirectory(entry)) {
                    loose += isImage(entry) ? 1 : 0;
                    continue;
                }
                try (Stream<Path> files = Files.list(entry)) {
                    List<Path> images = files.filter(CalibrateCommand::isImage).sorted().toList();
                    if (!images.isEmpty()) {
                        identities.add(new Identity(entry.getFileName().toString(), images));
                    }
                }
            }
        }
        if (loose > 0) {
            err.println("calibrate: warning: " + loose + " images directly in " + dir + " are ignored (put each "
                    + "identity's images in a folder of its own)");
        }
        if (identities.isEmpty()) {
            throw new UnusableSetException("--images " + dir + ": no identity folders with PNG or JPEG images");
        }
        return identities;
    }

    private static boolean isImage(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && Files.isRegularFile(path)
                && (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg"));
    }

    /** Every pair of faces, scored as the job scores a match (Embeddings.cosine, in float). */
    static Pairs pairs(List<Embedded> faces) {
        List<List<Float>> lists = new ArrayList<>(faces.size());
        for (Embedded face : faces) {
            List<Float> list = new ArrayList<>(face.embedding().length);
            for (float v : face.embedding()) {
                list.add(v);
            }
            lists.add(list);
        }
        int genuineCount = 0;
        for (int i = 0; i < faces.size(); i++) {
            for (int j = i + 1; j < faces.size(); j++) {
                genuineCount += faces.get(i).identity() == faces.get(j).identity() ? 1 : 0;
            }
        }
        long all = (long) faces.size() * (faces.size() - 1) / 2;
        double[] genuine = new double[genuineCount];
        double[] impostor = new double[(int) (all - genuineCount)];
        int g = 0;
        int m = 0;
        for (int i = 0; i < faces.size(); i++) {
            for (int j = i + 1; j < faces.size(); j++) {
                double score = Embeddings.cosine(faces.get(i).embedding(), lists.get(j));
                if (faces.get(i).identity() == faces.get(j).identity()) {
                    genuine[g++] = score;
                } else {
                    impostor[m++] = score;
                }
            }
        }
        return new Pairs(genuine, impostor);
    }

    private static Map<String, Object> row(FarThreshold.Rates rates) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("far_target", rates.farTarget());
        row.put("threshold", rates.threshold());
        row.put("far", rates.far());
        row.put("tar", rates.tar());
        row.put("accuracy", rates.accuracy());
        row.put("resolvable", rates.resolvable());
        return row;
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    /**
     * Rewrites the .bvm with the calibration in its metadata. Before the file is replaced the new bytes are read
     * back and checked: the metadata is the old plus these keys, everything else (name, version, graph, weights,
     * outputs) writes out byte for byte as before, and the embedder's model id is unchanged.
     */
    static void writeThreshold(Path modelFile, FaceEmbedder embedder, double threshold, double far, String calibration)
            throws IOException, ModelFormatException {
        Model original = ModelReader.fromBytes(Files.readAllBytes(modelFile));
        Map<String, String> metadata = new LinkedHashMap<>(original.metadata());
        metadata.put(THRESHOLD_KEY, Double.toString(threshold));
        metadata.put(FAR_KEY, Double.toString(far));
        metadata.put(CALIBRATION_KEY, calibration);
        byte[] bytes = ModelWriter.toBytes(new Model(original.name(), original.version(), original.graph(), metadata));

        Model reread = ModelReader.fromBytes(bytes);
        byte[] restOfReread = ModelWriter.toBytes(new Model(reread.name(), reread.version(), reread.graph(),
                original.metadata()));
        if (!reread.metadata().equals(metadata) || !Arrays.equals(restOfReread, ModelWriter.toBytes(original))) {
            throw new IllegalStateException("the rewritten model does not read back as the original plus the "
                    + "calibration; " + modelFile + " left as it was");
        }
        EngineFaceEmbedder rewritten = new EngineFaceEmbedder(bytes);
        if (!rewritten.id().equals(embedder.id())
                || rewritten.calibratedThreshold().orElse(Double.NaN) != threshold) {
            throw new IllegalStateException("the rewritten model's id or threshold differs (" + rewritten.id() + ", "
                    + rewritten.calibratedThreshold() + "); " + modelFile + " left as it was");
        }
        Path absolute = modelFile.toAbsolutePath();
        Path temp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp");
        try {
            Files.write(temp, bytes);
            try {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
