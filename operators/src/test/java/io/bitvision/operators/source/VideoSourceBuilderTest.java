package io.bitvision.operators.source;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VideoSourceBuilderTest {

    @Test
    void filesOnlyIsBoundedAnythingLiveOrDiscoveredIsNot() {
        assertThat(VideoSource.builder().camera("a", "/v/a.avi").camera("b", "file:///v/b.avi").build()
                .getBoundedness()).isEqualTo(Boundedness.BOUNDED);
        assertThat(VideoSource.builder().camera("a", "/v/a.avi").camera("b", "rtsp://h/b").build()
                .getBoundedness()).isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);
        assertThat(VideoSource.builder().discovery(List::of, Duration.ofSeconds(5)).build()
                .getBoundedness()).isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);
    }

    @Test
    void appliesDefaultsAndPerCameraSettings() {
        VideoSource source = VideoSource.builder()
                .camera("a", "/v/a.avi")
                .camera("b", "rtsp://h/b", 2.0, Map.of("rtsp_transport", "udp"))
                .targetFps(5)
                .stallTimeout(Duration.ofSeconds(3))
                .build();
        assertThat(source.cameras()).containsExactly(new CameraSpec("a", "/v/a.avi", 5),
                new CameraSpec("b", "rtsp://h/b", 2.0, Map.of("rtsp_transport", "udp")));
        VideoSourceOptions options = source.options();
        assertThat(options.stallTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(options.ioTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(options.maxReconnectAttempts()).isEqualTo(10);
        assertThat(options.handoffCapacity()).isEqualTo(2);
    }

    @Test
    void backoffDoublesUpToTheMax() {
        VideoSourceOptions options = VideoSource.builder().camera("a", "/a.avi")
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(700)).build().options();
        assertThat(List.of(1, 2, 3, 4, 40)).extracting(a -> options.backoff(a).toMillis())
                .containsExactly(100L, 200L, 400L, 700L, 700L);
    }

    @Test
    void buildChecksItsArguments() {
        assertThatThrownBy(() -> VideoSource.builder().build()).hasMessageContaining("No cameras");
        assertThatThrownBy(() -> VideoSource.builder().camera("a", "/x").camera("a", "/y").build())
                .hasMessageContaining("Duplicate camera ids: [a]");
        assertThatThrownBy(() -> VideoSource.builder().camera("a", "/x").stallTimeout(Duration.ZERO).build())
                .hasMessageContaining("stallTimeout");
        assertThatThrownBy(() -> VideoSource.builder().camera("a", "/x")
                .reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)).build())
                .hasMessageContaining("max");
        assertThatThrownBy(() -> VideoSource.builder().camera("a", "/x").maxReconnectAttempts(-1).build())
                .hasMessageContaining("maxReconnectAttempts");
        assertThatThrownBy(() -> VideoSource.builder().camera("a", "/x").handoffCapacity(0).build())
                .hasMessageContaining("handoffCapacity");
        assertThatThrownBy(() -> VideoSource.builder().camera("a", "/x").targetFps(-1).build())
                .hasMessageContaining("targetFps");
        assertThatThrownBy(() -> VideoSource.builder().camera("a", "/x", Double.NaN).build())
                .hasMessageContaining("targetFps");
        assertThatThrownBy(() -> VideoSource.builder().camera(" ", "/x").build())
                .hasMessageContaining("blank");
    }

    @Test
    void cameraRecordIsAFlinkPojo() {
        TypeInformation<CameraRecord> type = VideoSource.builder().camera("a", "/a.avi").build().getProducedType();
        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        assertThat(((PojoTypeInfo<CameraRecord>) type).getFieldNames()).contains("kind", "cameraId", "frameSeq",
                "ptsUs", "captureTimeMs", "captureTimeSource", "ingestTimeMs", "width", "height", "rgb",
                "droppedSinceLast", "state", "reason", "reconnectAttempts", "framesDecoded", "framesDropped",
                "decodeFps", "errorType", "sourceUri", "position");
    }
}
