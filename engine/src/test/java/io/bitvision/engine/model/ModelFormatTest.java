package io.bitvision.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.reference.RefTensor;
import io.bitvision.engine.testing.RandomGraphs;
import io.bitvision.engine.testing.Randoms;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class ModelFormatTest {

    static Model sample(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Model model = null;
        while (model == null || model.graph().nodes().size() < 6) {
            model = RandomGraphs.random(new SplittableRandom(rnd.nextLong()), 10);
        }
        return model;
    }

    @Test
    void writeReadWriteGivesTheSameBytesAndTheSameResults() throws Exception {
        for (long seed = 0; seed < 50; seed++) {
            Model original = sample(seed);
            byte[] bytes = ModelWriter.toBytes(original);
            Model read = ModelReader.fromBytes(bytes);
            assertThat(ModelWriter.toBytes(read)).isEqualTo(bytes);
            assertThat(read.name()).isEqualTo(original.name());

            InferenceEngine a = InferenceEngine.builder(original).build();
            InferenceEngine b = InferenceEngine.builder(read).build();
            Randoms.fill(new SplittableRandom(seed), a.input());
            Randoms.fill(new SplittableRandom(seed), b.input());
            a.run();
            b.run();
            assertThat(RefTensor.of(b.output(0)).sameAs(RefTensor.of(a.output(0)))).isTrue();
        }
    }

    @Test
    void readsFromAStreamThatReturnsOneByteAtATime() throws Exception {
        byte[] bytes = ModelWriter.toBytes(sample(1));
        InputStream trickle = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }
        };
        Model read = new ModelReader(ReaderLimits.defaults()).read(trickle);
        assertThat(ModelWriter.toBytes(read)).isEqualTo(bytes);
    }

    @Test
    void wrongMagicIsReportedAsNotAModel() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThatThrownBy(() -> ModelReader.fromBytes(png))
                .isInstanceOf(BadMagicException.class).hasMessageContaining("not a bitvision model");
    }

    @Test
    void unknownVersionIsReportedWithBothVersions() {
        byte[] bytes = ModelWriter.toBytes(sample(2));
        bytes[5] = 7;
        assertThatThrownBy(() -> ModelReader.fromBytes(bytes))
                .isInstanceOf(UnsupportedVersionException.class).hasMessageContaining("version 7").hasMessageContaining("supports 1");
    }

    @Test
    void everyTruncationIsReportedAsTruncated() {
        byte[] bytes = ModelWriter.toBytes(sample(3));
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = java.util.Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> ModelReader.fromBytes(cut)).as("cut at %d", length)
                    .isInstanceOf(TruncatedModelException.class);
        }
    }

    @Test
    void aFlippedBitIsAChecksumMismatch() {
        byte[] bytes = ModelWriter.toBytes(sample(4));
        bytes[bytes.length / 2] ^= 0x10;
        assertThatThrownBy(() -> ModelReader.fromBytes(bytes))
                .isInstanceOf(ChecksumMismatchException.class).hasMessageContaining("damaged");
    }

    @Test
    void shapesThatDoNotFitAreReportedWithTheNode() {
        Model model = sample(5);
        byte[] bytes = ModelWriter.toBytes(model);
        // The input channel count sits after the name, the version, the input type and bits.
        int at = 12 + 2 + utf8(model.name()) + 2 + utf8(model.version()) + 2;
        ByteBuffer.wrap(bytes).putShort(at, (short) (model.graph().input().channels() + 1));
        fixChecksum(bytes);
        assertThatThrownBy(() -> ModelReader.fromBytes(bytes))
                .isInstanceOf(InvalidModelException.class).hasMessageContaining("node");
    }

    @Test
    void filesOverTheLimitAreRefusedBeforeParsing() {
        byte[] bytes = ModelWriter.toBytes(sample(6));
        ModelReader small = new ModelReader(ReaderLimits.builder().maxFileBytes(bytes.length - 1).build());
        assertThatThrownBy(() -> small.parse(bytes)).isInstanceOf(ModelLimitExceededException.class);
        ModelReader fewNodes = new ModelReader(ReaderLimits.builder().maxNodes(2).build());
        assertThatThrownBy(() -> fewNodes.parse(bytes)).isInstanceOf(ModelLimitExceededException.class).hasMessageContaining("nodes");
    }

    /** A version-1 file committed when the format was introduced: later readers must keep reading it. */
    @Test
    void readsTheCommittedVersionOneFile() throws Exception {
        Path golden = Path.of("src/test/resources/models/format-v1.bvm");
        byte[] bytes = Files.readAllBytes(golden);
        Model read = ModelReader.fromBytes(bytes);
        assertThat(ModelWriter.toBytes(read)).isEqualTo(ModelWriter.toBytes(GoldenModel.build()));
    }

    static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    static void fixChecksum(byte[] bytes) {
        int payloadEnd = bytes.length - 4;
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, payloadEnd);
        ByteBuffer.wrap(bytes).putInt(payloadEnd, (int) crc.getValue());
    }
}
