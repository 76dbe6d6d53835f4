package io.bitvision.cli;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;

import io.bitvision.cli.eval.BoxMatcher;
import io.bitvision.cli.eval.EvalSheet;
import io.bitvision.cli.eval.SceneLabels;
import io.bitvision.cli.eval.SceneScore;
import io.bitvision.cli.eval.TeacherBoxes;
import io.bitvision.cli.eval.TrackScore;
import io.bitvision.engine.track.IouTracker;
import io.bitvision.operators.inference.PersonTracking;
import io.bitvision.operators.inference.TrackedInstance;
import io.bitvision.engine.instance.MaskInstance;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelFormatException;
import io.bitvision.engine.model.ModelReader;
import io.bitvision.operators.inference.FrameAnalyzer;
import io.bitvision.operators.source.reader.RgbFrames;
import io.bitvision.testkit.report.JsonReports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code eval}: the person model on the hand-labelled frames of one scene, decoded and run as the job runs a camera's
 * frames; box recall, precision and AP at IoU 0.5, beside a teacher's boxes on the same frames when given. When the labels name
 * who each box is, every frame from the first labelled one to the last also goes through the job's tracker, and the
 * report counts the published track ids per person and the id switches at the labelled frames.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The person model on hand-labelled frames of one scene (labels: docs/person-model.md): box "
                + "recall, precision and AP at IoU 0.5 for people of at least the scene's min_height, beside a "
                + "teacher's boxes on the same frames; a JSON report and a contact sheet to check by eye.")
public final class EvalCommand extends CliCommand {
    private static final long MAX_ARENA_BYTES = 256L << 20;
    private static final int MIN_CELLS = 6;

    @Mixin
    PersonModelOptions person = new PersonModelOptions();

    @Option(names = "--video", required = true, paramLabel = "V", description = "The scene's video (any FFmpeg input).")
    Path video;

    @Option(names = "--labels", required = true, paramLabel = "L.json", description = "The scene's hand labels.")
    Path labels;

    @Option(names = "--teacher-boxes", paramLabel = "B.jsonl[.gz]",
            description = "Another detector's boxes on the same video (the person teacher's JSON lines), scored alike.")
    Path teacherBoxes;

    @Option(names = "--teacher-min-score", paramLabel = "S", defaultValue = "0.3",
            description = "Teacher boxes scoring below S are dropped (default 0.3, the pseudo-labels' threshold).")
    double teacherMinScore;

    @Option(names = "--min-height", paramLabel = "PX", description = "Overrides the labels' min_height.")
    Integer minHeight;

    @Option(names = "--out", paramLabel = "FILE", description = "Default: bench-results/eval-SCENE.json.")
    Path reportFile;

    @Option(names = "--sheet", paramLabel = "PNG", description = "Default: the report's name with .png.")
    Path sheet;

    @Override
    public Integer call() throws IOException {
        if (minHeight != null) {
            atLeast("--min-height", minHeight, 0);
        }
        fraction("--teacher-min-score", teacherMinScore);
        Path modelFile;
        try {
            modelFile = person.file();
        } catch (MissingModelException e) {
            err.println("eval: " + e.getMessage());
            return 1;
        }
        SceneLabels scene;
        Model model;
        try {
            scene = SceneLabels.read(labels);
            model = ModelReader.read(modelFile);
        } catch (SceneLabels.InvalidLabelsException | ModelFormatException e) {
            err.println("eval: " + e.getMessage());
            return 1;
        }
        if (!Files.isRegularFile(video)) {
            err.println("eval: video " + video + ": no such file");
            return 1;
        }
        Path report = reportFile != null ? reportFile : Path.of("bench-results", "eval-" + safe(scene.scene()) + ".json");
        Path sheetFile = sheet != null ? sheet : report.resolveSibling(report.getFileName().toString()
                .replaceFirst("\\.json$", "") + ".png");
        int height = minHeight != null ? minHeight : scene.minHeightOrDefault();
        Map<Integer, List<BoxMatcher.Detection>> teacher = teacherBoxes == null ? null
                : TeacherBoxes.read(teacherBoxes, teacherMinScore);

        if (teacher != null) {
            for (SceneLabels.Frame f : scene.frames()) {
                if (!teacher.containsKey(f.frame())) {
                    err.println("eval: " + teacherBoxes + " has no line for labelled frame " + f.frame());
                    return 1;
                }
            }
        }
        SceneScore ours = new SceneScore();
        TrackScore tracks = scene.hasIdentities() ? new TrackScore() : null;
        IouTracker tracker = PersonTracking.newTracker();
        SceneScore theirs = teacher == null ? null : new SceneScore();
        EvalSheet drawn = new EvalSheet();
        List<Map<String, Object>> perFrame = new ArrayList<>();
        List<SceneLabels.Frame> wanted = new ArrayList<>(scene.frames());
        wanted.sort(Comparator.comparingInt(SceneLabels.Frame::frame));
        try (FrameAnalyzer analyzer = new FrameAnalyzer(model, MAX_ARENA_BYTES, MIN_CELLS);
             FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toFile())) {
            grabber.setPixelFormat(AV_PIX_FMT_RGB24);
            grabber.start();
            int next = 0;
            int firstLabelled = wanted.getFirst().frame();
            for (int index = 0; next < wanted.size(); index++) {
                Frame frame = grabber.grabImage();
                if (frame == null) {
                    err.println("eval: " + video + " has " + index + " frames; the labels name frame "
                            + wanted.get(next).frame());
                    return 1;
                }
                SceneLabels.Frame labelled = wanted.get(next);
                boolean isLabelled = index == labelled.frame();
                if (!isLabelled && (tracks == null || index < firstLabelled)) {
                    continue;
                }
                byte[] rgb = RgbFrames.copy(frame);
                List<MaskInstance> instances;
                long[] trackIds = null;
                if (tracks != null) {
                    // Every frame of the stretch goes through the job's tracker, as a camera's frames would.
                    List<TrackedInstance> tracked = analyzer.analyze(rgb, frame.imageHeight, frame.imageWidth, index, tracker);
                    instances = tracked.stream().map(TrackedInstance::instance).toList();
                    trackIds = tracked.stream().mapToLong(TrackedInstance::trackId).toArray();
                    tracks.published(trackIds);
                } else {
                    instances = analyzer.detect(rgb, frame.imageHeight, frame.imageWidth);
                }
                if (!isLabelled) {
                    continue;
                }
                next++;
                List<BoxMatcher.Detection> found = detections(instances);
                BoxMatcher.FrameResult result = BoxMatcher.match(found, labelled, height);
                ours.add(found, result);
                if (tracks != null) {
                    tracks.labelled(labelled, height, trackIds, result);
                }
                drawn.add(rgb, frame.imageHeight, frame.imageWidth, labelled, height, found, result);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("frame", labelled.frame());
                row.put("people", result.required());
                row.put("hits", result.hits());
                row.put("false_alarms", result.falseAlarms());
                if (teacher != null) {
                    List<BoxMatcher.Detection> theirFound = teacher.getOrDefault(labelled.frame(), List.of());
                    BoxMatcher.FrameResult theirResult = BoxMatcher.match(theirFound, labelled, height);
                    theirs.add(theirFound, theirResult);
                    row.put("teacher_hits", theirResult.hits());
                    row.put("teacher_false_alarms", theirResult.falseAlarms());
                }
                perFrame.add(row);
                if (next % 10 == 0) {
                    err.printf(Locale.ROOT, "eval: %d/%d frames%n", next, wanted.size());
                }
            }
            grabber.stop();
        } catch (IllegalArgumentException | io.bitvision.engine.ArenaBoundExceededException e) {
            err.println("eval: " + e.getMessage()); // a model this command cannot run (arena, input, decoder)
            return 1;
        }

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("scene", scene.scene());
        json.put("video", video.toString());
        json.put("labels", labels.toString());
        json.put("source", scene.source());
        json.put("checked", scene.checked());
        json.put("min_height", height);
        json.put("iou", BoxMatcher.IOU);
        json.put("frames", ours.frames());
        json.put("people", ours.people());
        Map<String, Object> modelFigures = figures(ours);
        modelFigures.put("file", modelFile.toString());
        modelFigures.put("name", model.name());
        modelFigures.put("version", model.version());
        json.put("model", modelFigures);
        if (tracks != null) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("from_frame", wanted.getFirst().frame());
            t.put("to_frame", wanted.getLast().frame());
            t.put("people", tracks.people());
            t.put("published_track_ids", tracks.publishedTrackIds());
            t.put("track_ids_per_person", tracks.trackIdsPerPerson());
            t.put("id_switches", tracks.idSwitches());
            t.put("track_ids_by_person", tracks.idsByPerson());
            json.put("tracking", t);
        }
        if (theirs != null) {
            Map<String, Object> teacherFigures = figures(theirs);
            teacherFigures.put("boxes", teacherBoxes.toString());
            teacherFigures.put("min_score", teacherMinScore);
            json.put("teacher", teacherFigures);
        }
        json.put("per_frame", perFrame);
        json.put("sheet", sheetFile.toString());
        json.put("date", Instant.now().toString());
        if (report.toAbsolutePath().getParent() != null) {
            Files.createDirectories(report.toAbsolutePath().getParent());
        }
        Files.writeString(report, JsonReports.write(json));
        drawn.write(sheetFile);
        out.println(line(scene.scene() + " " + model.name() + " v" + model.version(), ours));
        if (tracks != null) {
            out.printf(Locale.ROOT, "eval: %s tracks, frames %d-%d: %d track ids for %d people (%.2f per person), %d id switches "
                            + "at the labelled frames%n", scene.scene(), wanted.getFirst().frame(), wanted.getLast().frame(),
                    tracks.publishedTrackIds(), tracks.people(), tracks.trackIdsPerPerson(), tracks.idSwitches());
        }
        if (theirs != null) {
            out.println(line(scene.scene() + " teacher", theirs));
        }
        out.println("eval: wrote " + report + " and " + sheetFile);
        return 0;
    }

    private static List<BoxMatcher.Detection> detections(List<MaskInstance> instances) {
        List<BoxMatcher.Detection> found = new ArrayList<>(instances.size());
        for (MaskInstance m : instances) {
            found.add(new BoxMatcher.Detection(new float[] {m.box().x(), m.box().y(), m.box().width(), m.box().height()},
                    m.score()));
        }
        return found;
    }

    private static Map<String, Object> figures(SceneScore score) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("recall", score.recall());
        f.put("precision", score.precision());
        f.put("ap50", score.ap50());
        f.put("hits", score.hits());
        f.put("false_alarms", score.falseAlarms());
        f.put("misses", score.misses());
        f.put("not_counted", score.notCounted());
        return f;
    }

    private static String line(String who, SceneScore s) {
        return String.format(Locale.ROOT, "eval: %s: recall %.3f (%d/%d), precision %.3f (%d false), AP50 %.3f over %d frames",
                who, s.recall(), s.hits(), s.people(), s.precision(), s.falseAlarms(), s.ap50(), s.frames());
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
