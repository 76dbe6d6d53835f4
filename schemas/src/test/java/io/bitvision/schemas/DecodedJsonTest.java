package io.bitvision.schemas;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DecodedJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final CameraHealth HEALTH = CameraHealth.newBuilder()
            .setCameraId("cam-1")
            .setTimeMs(Instant.ofEpochMilli(1_700_000_000_123L))
            .setState(CameraState.STALLED)
            .setReason(null)
            .setReconnectAttempts(3)
            .setFramesDecoded(1L << 40)
            .setFramesDropped(7)
            .setDecodeFps(0.1f)
            .build();

    private static final String MATCHING = """
            {"camera_id": "cam-1", "time_ms": 1700000000123, "state": "STALLED", "reason": null,
             "reconnect_attempts": 3, "frames_decoded": 1099511627776, "frames_dropped": 7,
             "decode_fps": 0.10000000149011612}""";

    @Test
    void acceptsTheSameRecord() {
        assertThatCode(() -> check(MATCHING)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\"cam-1\"->\"cam-2\"",
        "1700000000123->1700000000124",
        "\"STALLED\"->\"STREAMING\"",
        "null,->\"x\",",
        "1099511627776->1099511627777",
        "0.10000000149011612->0.1",
        ", \"frames_dropped\": 7->",
        "\"decode_fps\"->\"decode_fps\": 1, \"extra\""})
    void rejectsAnyDifference(String edit) {
        String[] fromTo = edit.split("->", -1);
        String changed = MATCHING.replace(fromTo[0], fromTo[1]);

        assertThatThrownBy(() -> check(changed)).isInstanceOf(AssertionError.class);
    }

    private static void check(String json) throws Exception {
        DecodedJson.assertMatches(CameraHealth.getClassSchema(), HEALTH, JSON.readTree(json));
    }
}
