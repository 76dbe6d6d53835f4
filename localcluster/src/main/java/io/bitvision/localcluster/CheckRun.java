package io.bitvision.localcluster;

import io.bitvision.testkit.clips.VideoClip;

import io.bitvision.testkit.report.JsonReports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One run of a cluster check: the clip every camera plays, and the cameras, named after the run so that its records
 * can be told from earlier runs' on the shared topics.
 *
 * @param id      the check's name and a run id, e.g. {@code failover-k3x9a1}; also the transactional id prefix
 * @param cameras {@code ID-a}, {@code ID-b}, ...
 */
record CheckRun(String id, Path clip, int framesPerCamera, List<String> cameras) {

    /** Cuts the clip ({@code frames > 0}: its first frames, into {@code clipDir}) and names the cameras. */
    static CheckRun prepare(String check, Path video, int frames, Path clipDir, int cameraCount) throws IOException {
        Path clip = frames > 0 ? VideoClip.firstFrames(video, frames, clipDir) : video;
        int framesPerCamera = VideoClip.countFrames(clip);
        String id = check + "-" + Long.toString(System.currentTimeMillis() / 1000 % 1_000_000_000L, 36);
        List<String> cameras = new ArrayList<>();
        for (int i = 0; i < cameraCount; i++) {
            cameras.add(id + "-" + (char) ('a' + i));
        }
        return new CheckRun(id, clip, framesPerCamera, List.copyOf(cameras));
    }

    /** Mask records the job must commit: one per frame and camera. */
    long expected() {
        return (long) framesPerCamera * cameras.size();
    }

    /**
     * The job's arguments for this run: the broker, the transactional id prefix, one {@code --camera} per camera on
     * the clip and {@code --model} unless {@code model} is null (the job's default), then {@code more}.
     */
    List<String> jobArgs(String bootstrap, Path model, String... more) {
        List<String> args = new ArrayList<>(List.of("--bootstrap", bootstrap, "--transactional-id-prefix", id));
        for (String camera : cameras) {
            args.addAll(List.of("--camera", camera + "=" + clip.toAbsolutePath()));
        }
        if (model != null) {
            args.addAll(List.of("--model", model.toAbsolutePath().toString()));
        } else {
            args.add("--stand-in-model");
        }
        args.addAll(List.of(more));
        return args;
    }

    /** Writes a check's report, creating its directory. */
    static void writeReport(Map<String, Object> report, Path out) throws IOException {
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, JsonReports.write(report));
    }
}
