package io.bitvision.operators.source.reader;

import io.bitvision.operators.source.CameraSpec;
import io.bitvision.operators.source.VideoSource;
import io.bitvision.operators.source.VideoSourceOptions;
import io.bitvision.operators.source.split.CameraSplit;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GrabberFactoryTest {
    private static final VideoSourceOptions OPTIONS = VideoSource.builder().camera("a", "/a.avi").build().options();

    private static FFmpegFrameGrabber grabber(String uri, Map<String, String> cameraOptions) throws Exception {
        try (FFmpegFrameGrabber grabber = GrabberFactory.create(
                CameraSplit.fresh(new CameraSpec("cam", uri, 0, cameraOptions)), OPTIONS)) {
            return grabber;
        }
    }

    @Test
    void everyInputGetsTheProtocolsOfItsSchemeOnly() throws Exception {
        assertThat(grabber("/clips/a.avi", Map.of()).getOption("protocol_whitelist")).isEqualTo("file");
        assertThat(grabber("replay:/clips/a.avi", Map.of()).getOption("protocol_whitelist")).isEqualTo("file");
        assertThat(grabber("http://cam/live.m3u8", Map.of()).getOption("protocol_whitelist"))
                .isEqualTo("http,https,tcp,tls,crypto");
        assertThat(grabber("rtsp://cam/s", Map.of()).getOption("protocol_whitelist"))
                .isEqualTo("rtsp,rtsps,rtp,srtp,udp,tcp,tls");
    }

    @Test
    void aCameraOptionCannotWidenTheWhitelist() throws Exception {
        FFmpegFrameGrabber grabber = grabber("http://cam/live.m3u8",
                Map.of("protocol_whitelist", "http,file,concat,data", "rtsp_transport", "udp"));
        assertThat(grabber.getOption("protocol_whitelist")).isEqualTo("http,https,tcp,tls,crypto");
        assertThat(grabber.getOption("rtsp_transport")).isEqualTo("udp");
    }
}
