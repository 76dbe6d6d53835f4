package io.bitvision.operators.source.split;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class InputKindTest {
    @ParameterizedTest
    @CsvSource({
        "/data/vtest.avi, FILE",
        "relative/clip.mp4, FILE",
        "file:///data/vtest.avi, FILE",
        "FILE:/data/x.avi, FILE",
        "C:\\video\\x.avi, FILE",
        "http://10.0.0.1/cam, LIVE",
        "https://h/stream.m3u8, LIVE",
        "rtsp://10.0.0.7:554/stream1, LIVE",
        "rtmp://h/live, LIVE",
        "udp://239.0.0.1:1234, LIVE",
        "replay:/data/vtest.avi, LIVE",
        "REPLAY:relative/clip.mp4, LIVE"
    })
    void decidesFromTheUri(String uri, InputKind expected) {
        assertThat(InputKind.of(uri)).isEqualTo(expected);
        assertThat(InputKind.isReplay(uri)).isEqualTo(uri.toLowerCase(java.util.Locale.ROOT).startsWith("replay:"));
    }
}
