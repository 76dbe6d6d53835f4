package io.bitvision.operators.source;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CameraUriPolicyTest {
    private static final CameraSpec GIVEN_FILE = new CameraSpec("given", "/data/vtest.avi", 0);
    private static final CameraUriPolicy DEFAULTS = CameraUriPolicy.defaults(List.of(GIVEN_FILE));

    @ParameterizedTest
    @ValueSource(strings = {"rtsp://10.0.0.7/stream1", "rtsps://cam/s", "http://cam/mjpeg", "https://cam/live.m3u8",
            "RTSP://CAM/upper"})
    void networkSchemesAreAllowedByDefault(String uri) {
        assertThat(DEFAULTS.refusal(new CameraSpec("registered", uri, 0))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/data/vtest.avi", "file:///data/vtest.avi", "replay:/data/vtest.avi", "C:\\clips\\a.avi"})
    void localFilesOnlyForTheCamerasGivenAtStart(String uri) {
        assertThat(CameraUriPolicy.scheme(uri)).isEqualTo("file");
        CameraUriPolicy policy = CameraUriPolicy.defaults(List.of(new CameraSpec("given", uri, 0)));
        assertThat(policy.refusal(new CameraSpec("given", uri, 0))).isEmpty();
        assertThat(policy.refusal(new CameraSpec("registered", uri, 0))).get().asString()
                .contains("is a local file, which only cameras given to the job at start may be")
                .contains("--camera-schemes");
    }

    @Test
    void aGivenIdWithAnotherUriIsNotTheGivenCamera() {
        assertThat(DEFAULTS.refusal(new CameraSpec("given", "/etc/shadow", 0))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"concat:/a.ts|/b.ts", "subfile,,start,0,end,0,,:/etc/passwd", "data:video/mp2t;base64,AA",
            "ftp://host/x.ts", "tcp://10.0.0.1:5000", "pipe:0", "crypto:file:/a.ts"})
    void otherSchemesAreRefusedNamingScheme(String uri) {
        String scheme = CameraUriPolicy.scheme(uri);
        assertThat(scheme).isNotEqualTo("file");
        assertThat(DEFAULTS.refusal(new CameraSpec("given", uri, 0))).get().asString()
                .isEqualTo("camera URI scheme '" + scheme + "' is not allowed (allowed: http,https,rtsp,rtsps; "
                        + "--camera-schemes adds more)");
    }

    @Test
    void operatorCanAllowMore() {
        CameraUriPolicy policy = CameraUriPolicy.of(List.of("srt", "File"), List.of());
        assertThat(policy.allowedSchemes()).containsExactlyInAnyOrder("srt", "file");
        assertThat(policy.refusal(new CameraSpec("a", "srt://cam:9000", 0))).isEmpty();
        assertThat(policy.refusal(new CameraSpec("b", "file:///clips/a.ts", 0))).isEmpty();
        assertThat(policy.refusal(new CameraSpec("c", "rtsp://cam/s", 0))).isPresent();
    }

    @Test
    void badSchemeListsAreRefused() {
        assertThatThrownBy(() -> CameraUriPolicy.of(List.of(), List.of())).hasMessageContaining("no camera schemes");
        assertThatThrownBy(() -> CameraUriPolicy.of(List.of("rtsp://"), List.of()))
                .hasMessageContaining("not a URI scheme: 'rtsp://'");
    }

    @Test
    void ffmpegMayReachOnlyTheSchemeAndItsTransports() {
        assertThat(CameraUriPolicy.ffmpegProtocols("/data/a.avi")).isEqualTo("file");
        assertThat(CameraUriPolicy.ffmpegProtocols("replay:/data/a.avi")).isEqualTo("file");
        assertThat(CameraUriPolicy.ffmpegProtocols("https://cam/live.m3u8")).isEqualTo("http,https,tcp,tls,crypto");
        assertThat(CameraUriPolicy.ffmpegProtocols("rtsp://cam/s")).isEqualTo("rtsp,rtsps,rtp,srtp,udp,tcp,tls");
        assertThat(CameraUriPolicy.ffmpegProtocols("srt://cam:9000")).isEqualTo("srt,udp");
        for (String uri : List.of("http://a", "https://a", "rtsp://a", "rtsps://a", "/a.avi")) {
            assertThat(CameraUriPolicy.ffmpegProtocols(uri).split(","))
                    .doesNotContain("concat", "subfile", "data", uri.startsWith("/") ? "http" : "file");
        }
    }
}
