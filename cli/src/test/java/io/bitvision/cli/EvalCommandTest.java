package io.bitvision.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bitvision.testkit.clips.SampleVideo;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eval} on vtest's held-out frames with the shipped person model and the teacher's cached boxes: the figures
 * hold the bar for vtest (recall and precision >= 0.95), agree with the per-frame counts, and a bad label
 * file or a frame past the video's end is a clear error.
 */
class EvalCommandTest {
    private static final String LABELS = "../training/data/scenes/vtest-heldout.json";
    private static final String MODEL = "../models/person-v1.bvm";
    private static final String TEACHER = "../training/data/vtest-centernet.jsonl.gz";

    @TempDir
    Path dir;

    @Test
    void theShippedModelHoldsVtestsHeldOutFramesBesideTheTeacher() throws Exception {
        Path video = SampleVideo.vtest(dir);
        Path out = dir.resolve("eval.json");
        CliRun run = CliRun.of("eval", "--model", MODEL, "--video", video.toString(), "--labels", LABELS,
                "--teacher-boxes", TEACHER, "--out", out.toString());
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("eval: vtest-heldout person v1: recall").contains("teacher: recall");
        JsonNode report = new ObjectMapper().readTree(out.toFile());
        assertThat(report.get("frames").asInt()).isEqualTo(10);
        int people = report.get("people").asInt();
        assertThat(people).isEqualTo(68);
        JsonNode model = report.get("model");
        assertThat(model.get("recall").asDouble()).isGreaterThanOrEqualTo(0.95);
        assertThat(model.get("precision").asDouble()).isGreaterThanOrEqualTo(0.95);
        assertThat(model.get("hits").asInt() + model.get("misses").asInt()).isEqualTo(people);
        int hits = 0;
        int teacherHits = 0;
        for (JsonNode frame : report.get("per_frame")) {
            hits += frame.get("hits").asInt();
            teacherHits += frame.get("teacher_hits").asInt();
        }
        assertThat(hits).isEqualTo(model.get("hits").asInt());
        assertThat(teacherHits).isEqualTo(report.get("teacher").get("hits").asInt());
        assertThat(report.get("teacher").get("recall").asDouble()).isGreaterThan(0.9);
        assertThat(ImageIO.read(dir.resolve("eval.png").toFile()).getWidth()).isEqualTo(3 * 480);
    }

    @Test
    void theJobsTrackerKeepsFewerThanTwoIdsPerPersonOnTheHandCheckedStretch() throws Exception {
        Path video = SampleVideo.vtest(dir);
        Path out = dir.resolve("tracks.json");
        CliRun run = CliRun.of("eval", "--model", MODEL, "--video", video.toString(), "--labels",
                "../training/data/scenes/vtest-tracks.json", "--out", out.toString());
        assertThat(run.status()).as(run.err()).isZero();
        JsonNode tracking = new ObjectMapper().readTree(out.toFile()).get("tracking");
        assertThat(tracking.get("people").asInt()).isEqualTo(9);
        assertThat(tracking.get("track_ids_per_person").asDouble()).isLessThan(2.0);
        assertThat(tracking.get("published_track_ids").asInt())
                .isEqualTo((int) Math.round(9 * tracking.get("track_ids_per_person").asDouble()));
        assertThat(run.out()).contains("vtest-tracks tracks, frames 600-700");
    }

    @Test
    void aFramePastTheEndOrABrokenLabelFileIsAnError() throws Exception {
        Path video = SampleVideo.vtest(dir);
        Path late = Files.writeString(dir.resolve("late.json"),
                "{\"scene\": \"late\", \"frames\": [{\"frame\": 900, \"boxes\": []}]}");
        CliRun past = CliRun.of("eval", "--model", MODEL, "--video", video.toString(), "--labels", late.toString(),
                "--out", dir.resolve("late-report.json").toString());
        assertThat(past.status()).isEqualTo(1);
        assertThat(past.err()).contains("has 795 frames; the labels name frame 900");
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"scene\": 3");
        CliRun bad = CliRun.of("eval", "--model", MODEL, "--video", video.toString(), "--labels", broken.toString());
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.err()).contains("broken.json are not scene labels");
        CliRun noTeacherFrame = CliRun.of("eval", "--model", MODEL, "--video", video.toString(), "--labels", LABELS,
                "--teacher-boxes", Files.writeString(dir.resolve("t.jsonl"), "{\"frame\": 600, \"boxes\": []}\n").toString());
        assertThat(noTeacherFrame.status()).isEqualTo(1);
        assertThat(noTeacherFrame.err()).contains("no line for labelled frame 620");
    }
}
