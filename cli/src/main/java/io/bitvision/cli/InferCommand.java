package io.bitvision.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;

import io.bitvision.engine.instance.InstanceDecoders;
import io.bitvision.engine.instance.MaskInstance;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelFormatException;
import io.bitvision.engine.model.ModelReader;
import io.bitvision.cli.demo.InstancePainter;
import io.bitvision.testkit.report.JsonReports;
import io.bitvision.operators.inference.DecodedInstances;
import io.bitvision.operators.inference.FrameAnalyzer;
import io.bitvision.operators.inference.InstanceExtractor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code infer}: one image of any size through a model, as the pipeline runs a frame; writes the instances as
 * JSON (COCO RLE masks) and an overlay PNG, and prints a one-line summary.
 */
@Command(name = "infer", mixinStandardHelpOptions = true, sortOptions = false,
        description = "One PNG or JPEG image of any size through the person model: instances (class, score, bbox, "
                + "area, COCO RLE mask) as JSON, an overlay PNG and a one-line summary.")
public final class InferCommand extends CliCommand {
    /** The pipeline's defaults, so an image gives what a camera frame would. */
    private static final long MAX_ARENA_BYTES = 256L << 20;
    private static final int MIN_CELLS = 6;

    @Mixin
    PersonModelOptions person = new PersonModelOptions();

    @Option(names = "--image", required = true, paramLabel = "IMAGE")
    Path image;

    @Option(names = "--out", required = true, paramLabel = "RESULT.json")
    Path out;

    @Option(names = "--overlay", paramLabel = "OVERLAY.png", description = "Default: RESULT.png beside the JSON.")
    Path overlay;

    @Option(names = "--score-threshold", paramLabel = "T", description = "Keep instances scoring at least T (0..1).")
    Float scoreThreshold;

    @Override
    public Integer call() throws IOException {
        if (scoreThreshold != null && !(scoreThreshold >= 0f && scoreThreshold <= 1f)) {
            throw usageError("--score-threshold must be between 0 and 1, got " + scoreThreshold);
        }
        Path model;
        try {
            model = person.file();
        } catch (MissingModelException e) {
            err.println("infer: " + e.getMessage());
            return 1;
        }
        return run(new Options(model, image, out, overlay != null ? overlay : Options.besideJson(out), scoreThreshold),
                super.out, err);
    }

    record Options(Path model, Path image, Path out, Path overlay, Float scoreThreshold) {
        /** result.json -> result.png; a name without .json gets .png added. */
        static Path besideJson(Path out) {
            String name = out.getFileName().toString();
            String stem = name.toLowerCase(Locale.ROOT).endsWith(".json") ? name.substring(0, name.length() - 5) : name;
            return out.resolveSibling(stem + ".png");
        }
    }

    /** @return the exit status: 0 done, 1 the model or image could not be used, 2 bad arguments */
    static int run(Options options, PrintStream out, PrintStream err) throws IOException {
        try {
            Model model = ModelReader.read(options.model());
            BufferedImage image = ImageFiles.readRgb(options.image());
            FrameAnalyzer analyzer = new FrameAnalyzer(model, MAX_ARENA_BYTES, extractor(model, options.scoreThreshold()));
            int width = image.getWidth();
            int height = image.getHeight();
            long start = System.nanoTime();
            List<MaskInstance> instances = analyzer.detect(ImageFiles.rgbBytes(image), height, width);
            double ms = (System.nanoTime() - start) / 1e6;

            if (options.out().toAbsolutePath().getParent() != null) {
                Files.createDirectories(options.out().toAbsolutePath().getParent());
            }
            Files.writeString(options.out(), JsonReports.write(InferenceReport.of(model, width, height, instances, ms)));
            InstancePainter.paint(image, drawn(model, instances));
            ImageFiles.writePng(image, options.overlay());
            out.println(summary(model, width, height, instances, ms, options));
            return 0;
        } catch (UnreadableImageException e) {
            err.println("infer: " + e.getMessage());
            return 1;
        } catch (ModelFormatException e) {
            err.println("infer: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            // A model this command cannot run (no decoder it knows, not an RGB input, arena too large).
            err.println("infer: " + e.getMessage());
            return 1;
        }
    }

    private static InstanceExtractor extractor(Model model, Float scoreThreshold) {
        if (scoreThreshold == null) {
            return InstanceExtractor.forModel(model, MIN_CELLS);
        }
        return InstanceDecoders.forModel(model)
                .map(decoder -> new DecodedInstances(decoder.withScoreThreshold(scoreThreshold)))
                .orElseThrow(() -> new IllegalArgumentException("--score-threshold needs a model with scored "
                        + "instances (an instance decoder in its metadata); '" + model.name() + "' has none"));
    }

    private static List<InstancePainter.Drawn> drawn(Model model, List<MaskInstance> instances) {
        List<InstancePainter.Drawn> drawn = new ArrayList<>(instances.size());
        for (int i = 0; i < instances.size(); i++) {
            MaskInstance m = instances.get(i);
            String label = String.format(Locale.ROOT, "%s %.2f", InferenceReport.className(model, m.classId()), m.score());
            drawn.add(new InstancePainter.Drawn(m.rleCounts(),
                    new float[] {m.box().x(), m.box().y(), m.box().width(), m.box().height()}, label,
                    InstancePainter.colour(i + 1)));
        }
        return drawn;
    }

    private static String summary(Model model, int width, int height, List<MaskInstance> instances, double ms,
                                  Options options) {
        String scores = instances.stream().map(m -> String.format(Locale.ROOT, "%.2f", m.score()))
                .collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "infer: %d instance%s%s in %s (%dx%d), %.1f ms with %s v%s -> %s, %s",
                instances.size(), instances.size() == 1 ? "" : "s", instances.isEmpty() ? "" : " (scores " + scores + ")",
                options.image(), width, height, ms, model.name(), model.version(), options.out(), options.overlay());
    }
}
