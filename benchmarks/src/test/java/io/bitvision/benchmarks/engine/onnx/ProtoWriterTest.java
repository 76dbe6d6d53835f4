package io.bitvision.benchmarks.engine.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

// Expected bytes from the protobuf encoding guide.
class ProtoWriterTest {

    @Test
    void varintsUseSevenBitGroups() {
        assertThat(new ProtoWriter().varint(1, 150).toByteArray()).containsExactly(0x08, 0x96, 0x01);
        assertThat(new ProtoWriter().varint(1, -1).toByteArray()).containsExactly(
                0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01);
    }

    @Test
    void stringsAndMessagesAreLengthDelimited() {
        assertThat(new ProtoWriter().string(2, "testing").toByteArray())
                .containsExactly(0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g');
        assertThat(new ProtoWriter().message(3, new ProtoWriter().varint(1, 150)).toByteArray())
                .containsExactly(0x1A, 0x03, 0x08, 0x96, 0x01);
    }

    @Test
    void packedFloatsAreLittleEndianFixed32() {
        assertThat(new ProtoWriter().packedFloats(4, new float[] {1f, -2f}).toByteArray())
                .containsExactly(0x22, 0x08, 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0);
    }
}
