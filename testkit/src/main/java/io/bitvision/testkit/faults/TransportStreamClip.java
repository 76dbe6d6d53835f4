package io.bitvision.testkit.faults;

import io.bitvision.testkit.clips.VideoClip;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A video re-encoded as MPEG-TS (MPEG-4 part 2, a key frame a second), the container IP cameras stream over HTTP.
 */
public final class TransportStreamClip {
    private TransportStreamClip() {}

    /** The clip's frame count and rate, and the file. */
    public record Clip(Path file, int frames, double fps) {
        public double seconds() {
            return frames / fps;
        }
    }

    /**
     * The whole of {@code source} as {@code DIR/NAME.ts}; kept and reused once written.
     */
    public static Clip of(Path source, Path dir) throws IOException {
        return of(source, Integer.MAX_VALUE, dir);
    }

    /**
     * The first {@code frames} frames of {@code source} (all when it has fewer) as {@code DIR/NAME-firstN.ts}; kept
     * and reused once written.
     */
    public static Clip of(Path source, int frames, Path dir) throws IOException {
        String name = source.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        Path clip = dir.resolve(frames == Integer.MAX_VALUE ? name + ".ts" : name + "-first" + frames + ".ts");
        if (Files.isRegularFile(clip) && Files.size(clip) > 0) {
            return new Clip(clip, VideoClip.countFrames(clip), VideoClip.frameRate(clip));
        }
        Files.createDirectories(dir);
        Path partial = dir.resolve(clip.getFileName() + ".part.ts");
        VideoClip.Encoded encoded = VideoClip.reencode(source, frames, partial, "mpegts", true);
        Files.move(partial, clip, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new Clip(clip, encoded.frames(), encoded.fps());
    }
}
