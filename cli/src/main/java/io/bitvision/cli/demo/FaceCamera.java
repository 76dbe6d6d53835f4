package io.bitvision.cli.demo;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;

import io.bitvision.engine.face.DetectedFace;
import io.bitvision.jobs.pipeline.PipelineArgs;
import io.bitvision.operators.faces.FaceEmbedder;
import io.bitvision.operators.faces.FrameFaceDetector;
import io.bitvision.operators.source.reader.RgbFrames;
import io.bitvision.schemas.WatchlistOp;
import io.bitvision.schemas.WatchlistUpdate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * The demo's camera with real faces: a sample clip (samples/, CC BY 4.0, see NOTICE) and one person enrolled from one
 * of its frames before the job starts, the face nearest the frame's centre, as an operator would enrol from a
 * snapshot. The job then publishes a face-match event when that person's face track is seen.
 *
 * @param cameraId   the camera's id in the job
 * @param clip       the clip it plays
 * @param enrolFrame the frame the person is enrolled from (0 = first)
 * @param enrolled   the watchlist entry, ready to publish
 * @param enrolledAt the enrolled face's box in that frame, [x, y, w, h]
 */
public record FaceCamera(String cameraId, Path clip, int enrolFrame, FrameFaceDetector detector, FaceEmbedder embedder,
                         float threshold, WatchlistUpdate enrolled, float[] enrolledAt) {

    public static final Path DEFAULT_CLIP = Path.of("samples", "face-demographics-walking-and-pause.gif");
    public static final int DEFAULT_ENROL_FRAME = 20;
    /** The clip's faces are 41-69 px tall in 480x270 frames: the detector also looks at 2 x 2 tiles. */
    public static final int FACE_TILES = 2;
    public static final String IDENTITY = "walker-1";

    /** Why the demo runs without its face camera: the models or the clip are missing, or no face in the frame. */
    public static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    public static FaceCamera prepare(String cameraId, Path clip, Path modelsDir, int enrolFrame)
            throws IOException, Unavailable {
        if (!Files.isRegularFile(clip)) {
            throw new Unavailable("no face clip at " + clip.toAbsolutePath().normalize());
        }
        Path detectorFile = modelsDir.resolve(PipelineArgs.FACE_DETECTOR_NAME);
        Path embedderFile = modelsDir.resolve(PipelineArgs.FACE_EMBEDDER_NAME);
        for (Path model : List.of(detectorFile, embedderFile)) {
            if (!Files.isRegularFile(model)) {
                throw new Unavailable("no face model " + model.toAbsolutePath().normalize());
            }
        }
        FrameFaceDetector detector = PipelineArgs.faceDetector(detectorFile, FACE_TILES);
        FaceEmbedder embedder = PipelineArgs.faceEmbedder(embedderFile);
        float threshold = (float) embedder.calibratedThreshold().orElseThrow(() -> new Unavailable(
                embedderFile + " has no calibrated threshold (./bitvision calibrate --write-threshold)"));
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(clip.toFile())) {
            grabber.setPixelFormat(AV_PIX_FMT_RGB24);
            grabber.start();
            Frame frame = null;
            for (int i = 0; i <= enrolFrame; i++) {
                frame = grabber.grabImage();
                if (frame == null) {
                    throw new Unavailable(clip + " has " + i + " frames, not " + (enrolFrame + 1));
                }
            }
            int width = frame.imageWidth;
            int height = frame.imageHeight;
            byte[] rgb = RgbFrames.copy(frame);
            grabber.stop();
            DetectedFace chosen = null;
            double best = Double.MAX_VALUE;
            for (DetectedFace face : detector.detect(rgb, height, width)) {
                double dx = face.box().x() + face.box().width() / 2 - width / 2.0;
                double dy = face.box().y() + face.box().height() / 2 - height / 2.0;
                if (Math.hypot(dx, dy) < best) {
                    best = Math.hypot(dx, dy);
                    chosen = face;
                }
            }
            if (chosen == null) {
                throw new Unavailable(detector.id() + " finds no face in frame " + enrolFrame + " of " + clip);
            }
            List<Float> embedding = new ArrayList<>();
            for (float v : embedder.embed(rgb, height, width, chosen.landmarks())) {
                embedding.add(v);
            }
            WatchlistUpdate update = WatchlistUpdate.newBuilder().setIdentityId(IDENTITY).setOp(WatchlistOp.UPSERT)
                    .setVersion(1).setEmbeddings(List.of(embedding)).setModelId(embedder.id())
                    .setDisplayName("enrolled from frame " + enrolFrame + " of " + clip.getFileName())
                    .setUpdatedTimeMs(Instant.now()).build();
            return new FaceCamera(cameraId, clip, enrolFrame, detector, embedder, threshold, update,
                    new float[] {chosen.box().x(), chosen.box().y(), chosen.box().width(), chosen.box().height()});
        }
    }
}
