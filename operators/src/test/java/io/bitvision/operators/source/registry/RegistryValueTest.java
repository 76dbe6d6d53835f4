package io.bitvision.operators.source.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitvision.operators.source.CameraSpec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryValueTest {

    private static RegistryValue parse(String text) {
        return RegistryValue.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aBareUriNamesNoModel() {
        RegistryValue value = parse("  rtsp://10.0.0.7/stream1\n");
        assertThat(value.uri()).isEqualTo("rtsp://10.0.0.7/stream1");
        assertThat(value.model()).isEmpty();
        assertThat(value.unknownFields()).isEmpty();
    }

    @Test
    void aJsonObjectCarriesTheUriAndTheModelName() {
        RegistryValue value = parse("{\"uri\": \"rtsp://cam/1\", \"model\": \"store.v2\"}");
        assertThat(value.uri()).isEqualTo("rtsp://cam/1");
        assertThat(value.model()).isEqualTo("store.v2");
        assertThat(parse("{\"uri\": \"rtsp://cam/1\", \"model\": null}").model()).isEmpty();
    }

    @Test
    void fieldsOfANewerWriterAreReportedNotFatal() {
        RegistryValue value = parse("{\"uri\": \"rtsp://cam/1\", \"fps\": 5, \"zone\": \"north\"}");
        assertThat(value.uri()).isEqualTo("rtsp://cam/1");
        assertThat(value.unknownFields()).containsExactly("fps", "zone");
    }

    @Test
    void malformedValuesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> parse("{\"uri\": \"rtsp://cam/1\""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> parse("{\"model\": \"store.v2\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no \"uri\"");
        assertThatThrownBy(() -> parse("{\"uri\": 7}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no \"uri\"");
        assertThatThrownBy(() -> parse("{\"uri\": \"rtsp://cam/1\", \"model\": 3}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"model\" is not a string");
    }

    @Test
    void encodingWritesABareUriUnlessAModelIsNamedAndParsesBack() {
        assertThat(new String(RegistryValue.encode("rtsp://cam/1", ""), StandardCharsets.UTF_8)).isEqualTo("rtsp://cam/1");
        byte[] withModel = RegistryValue.encode("rtsp://u:p@cam/\"1\"", "street-v2");
        RegistryValue back = RegistryValue.parse(withModel);
        assertThat(back.uri()).isEqualTo("rtsp://u:p@cam/\"1\"");
        assertThat(back.model()).isEqualTo("street-v2");
    }

    @Test
    void aCameraRefusesAModelNameThatCouldNotTravelInRecordsAndLogs() {
        assertThat(new CameraSpec("c", "rtsp://cam/1", 0, Map.of(), "a.b_c-9").model()).isEqualTo("a.b_c-9");
        assertThat(new CameraSpec("c", "rtsp://cam/1", 0).model()).isEmpty();
        for (String bad : new String[] {"two words", "../up", "x".repeat(129), "naïve"}) {
            assertThatThrownBy(() -> new CameraSpec("c", "rtsp://cam/1", 0, Map.of(), bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("camera c: a model name is 1-128");
        }
    }
}
