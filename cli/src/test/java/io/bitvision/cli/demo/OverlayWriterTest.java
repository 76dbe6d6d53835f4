package io.bitvision.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitvision.schemas.FrameMasks;
import io.bitvision.testkit.clips.SampleVideo;
import io.bitvision.testkit.clips.VideoClip;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's face-match overlay: the event frames, each with its matched face boxed in yellow. */
class OverlayWriterTest {

    private static FrameMasks noPeople(long seq) {
        return FrameMasks.newBuilder().setCameraId("faces-1").setFrameSeq(seq).setPtsUs(-1)
                .setCaptureTimeMs(java.time.Instant.ofEpochMilli(seq * 100))
                .setCaptureTimeSource(io.bitvision.schemas.CaptureTimeSource.STREAM_PTS)
                .setIngestTimeMs(java.time.Instant.ofEpochMilli(seq * 100)).setFrameWidth(768).setFrameHeight(576)
                .setModelId("m").setModelVersion("1").setFramesDropped(0).setInstances(List.of()).build();
    }

    @Test
    void faceMatchFramesAreDrawnWithTheMatchedFaceBoxed(@TempDir Path dir) throws Exception {
        Path clip = VideoClip.firstFrames(SampleVideo.vtest(dir), 12, dir);
        List<OverlayWriter.FaceMark> marks = List.of(
                new OverlayWriter.FaceMark(3, new float[] {100, 120, 60, 60}, "alice 0.991"),
                new OverlayWriter.FaceMark(3, new float[] {400, 200, 50, 50}, "bob 0.990"),
                new OverlayWriter.FaceMark(9, new float[] {300, 300, 80, 80}, "alice 0.995"));
        Path sheet = OverlayWriter.writeFaceMatches(clip, List.of(noPeople(3), noPeople(9)), marks, 6,
                dir.resolve("overlay-faces"));

        assertThat(sheet).isEqualTo(dir.resolve("overlay-faces/face-matches.png"));
        try (var files = Files.list(dir.resolve("overlay-faces"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("frame_0003.png", "frame_0009.png", "face-matches.png");
        }
        BufferedImage frame3 = ImageIO.read(dir.resolve("overlay-faces/frame_0003.png").toFile());
        assertThat(frame3.getRGB(100, 150) & 0xFFFFFF).as("left edge of alice's box").isEqualTo(0xFFFF00);
        assertThat(frame3.getRGB(425, 200) & 0xFFFFFF).as("top edge of bob's box").isEqualTo(0xFFFF00);
        assertThat(frame3.getRGB(300, 340) & 0xFFFFFF).as("frame 9's box is not on frame 3").isNotEqualTo(0xFFFF00);
        BufferedImage frame9 = ImageIO.read(dir.resolve("overlay-faces/frame_0009.png").toFile());
        assertThat(frame9.getRGB(300, 340) & 0xFFFFFF).isEqualTo(0xFFFF00);
    }

    @Test
    void noEventsNoSheet(@TempDir Path dir) throws Exception {
        Path clip = VideoClip.firstFrames(SampleVideo.vtest(dir), 4, dir);
        assertThat(OverlayWriter.writeFaceMatches(clip, List.of(), List.of(), 6, dir.resolve("o"))).isNull();
    }
}
