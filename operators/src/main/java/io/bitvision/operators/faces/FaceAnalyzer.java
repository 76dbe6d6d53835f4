package io.bitvision.operators.faces;

import io.bitvision.engine.face.DetectedFace;
import io.bitvision.engine.track.IouTracker;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Faces of one frame, ready for matching: detect (five landmarks), align each face to SFace's 112x112 template,
 * embed, and give it the camera's face-track id. Only embeddings and boxes come out; no pixels.
 */
public final class FaceAnalyzer implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Face tracks: faces move little between frames; a face unseen for this many frames ends its track. */
    public static final float TRACK_MIN_IOU = 0.3f;
    public static final int TRACK_MAX_AGE = 10;

    private final FrameFaceDetector detector;
    private final FaceEmbedder embedder;

    public FaceAnalyzer(FrameFaceDetector detector, FaceEmbedder embedder) {
        this.detector = detector;
        this.embedder = embedder;
    }

    public FaceEmbedder embedder() {
        return embedder;
    }

    /** A face of the frame with its embedding and track. */
    public record AnalyzedFace(DetectedFace face, long trackId, float[] embedding) {}

    public static IouTracker newTracker() {
        return new IouTracker(TRACK_MIN_IOU, TRACK_MAX_AGE);
    }

    /**
     * Faces of {@code rgb} ({@code height x width x 3}); {@code tracker} is the camera's face tracker. A face whose
     * landmarks cannot be aligned (collinear or coincident points: a detector's miss, not a face) is dropped.
     */
    public List<AnalyzedFace> analyze(byte[] rgb, int height, int width, long frameSeq, IouTracker tracker) {
        List<DetectedFace> faces = new ArrayList<>();
        List<float[]> embeddings = new ArrayList<>();
        for (DetectedFace face : detector.detect(rgb, height, width)) {
            try {
                embeddings.add(embedder.embed(rgb, height, width, face.landmarks()));
                faces.add(face);
            } catch (IllegalArgumentException unalignable) {
                // no embedding, no candidate
            }
        }
        List<IouTracker.Detection> detections = new ArrayList<>(faces.size());
        for (DetectedFace face : faces) {
            detections.add(new IouTracker.Detection(0, face.box()));
        }
        long[] tracks = tracker.update(frameSeq, detections);
        List<AnalyzedFace> out = new ArrayList<>(faces.size());
        for (int i = 0; i < faces.size(); i++) {
            DetectedFace face = faces.get(i);
            out.add(new AnalyzedFace(face, tracks[i], embeddings.get(i)));
        }
        return out;
    }
}
