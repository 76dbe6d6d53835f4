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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class ModelFormatTest {
    static final Path GOLDEN_V1 = Path.of("src/test/resources/models/format-v1.bvm");
    static final Path GOLDEN_V2 = Path.of("src/test/resources/models/format-v2.bvm");

    /** A random model with 6 or more nodes and 0 to 5 metadata entries. */
    static Model sample(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Model model = null;
        while (model == null || model.graph().nodes().size() < 6) {
            model = RandomGraphs.random(new SplittableRandom(rnd.nextLong()), 10);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        int entries = rnd.nextInt(6);
        for (int i = 0; i < entries; i++) {
            metadata.put("key." + i + "." + rnd.nextInt(100), "value " + rnd.nextLong());
        }
        return new Model(model.name(), model.version(), model.graph(), metadata);
    }

    /** Bytes of the metadata block of a version-2 file. */
    static int metadataBytes(Model model) {
        int bytes = 2;
        for (Map.Entry<String, String> e : model.metadata().entrySet()) {
            bytes += 2 + utf8(e.getKey()) + 2 + utf8(e.getValue());
        }
        return bytes;
    }

    /** Offset of the metadata count in a version-2 file. */
    static int metadataOffset(Model model) {
        return 12 + 2 + utf8(model.name()) + 2 + utf8(model.version());
    }

    @Test
    void writeReadWriteGivesTheSameBytesAndTheSameResults() throws Exception {
        for (long seed = 0; seed < 50; seed++) {
            Model original = sample(seed);
            byte[] bytes = ModelWriter.toBytes(original);
            Model read = ModelReader.fromBytes(bytes);
            assertThat(ModelWriter.toBytes(read)).isEqualTo(bytes);
            assertThat(read.name()).isEqualTo(original.name());
            assertThat(read.metadata()).containsExactlyEntriesOf(original.metadata());

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
    void unknownVersionIsReportedWithTheSupportedRange() {
        for (int version : new int[] {0, 3, 7, 0x0102}) {
            byte[] bytes = ModelWriter.toBytes(sample(2));
            ByteBuffer.wrap(bytes).putShort(4, (short) version);
            assertThatThrownBy(() -> ModelReader.fromBytes(bytes))
                    .isInstanceOf(UnsupportedVersionException.class)
                    .hasMessageContaining("version " + version).hasMessageContaining("supports 1 to 2");
        }
    }

    @Test
    void theWriterWritesVersionTwo() {
        byte[] bytes = ModelWriter.toBytes(sample(2));
        assertThat(ByteBuffer.wrap(bytes).getShort(4)).isEqualTo((short) 2);
    }

    @Test
    void everyTruncationIsReportedAsTruncated() throws Exception {
        Model withMetadata = sample(3);
        assertThat(withMetadata.metadata()).isNotEmpty();
        byte[][] files = {ModelWriter.toBytes(withMetadata), Files.readAllBytes(GOLDEN_V1), Files.readAllBytes(GOLDEN_V2)};
        for (byte[] bytes : files) {
            for (int length = 0; length < bytes.length; length++) {
                byte[] cut = java.util.Arrays.copyOf(bytes, length);
                assertThatThrownBy(() -> ModelReader.fromBytes(cut)).as("cut at %d", length)
                        .isInstanceOf(TruncatedModelException.class);
            }
        }
    }

    /** A payload cut anywhere, with its length and checksum repaired, is an invalid record, never a crash. */
    @Test
    void everyPayloadCutWithARepairedHeaderIsInvalid() throws Exception {
        byte[][] files = {ModelWriter.toBytes(sample(3)), Files.readAllBytes(GOLDEN_V1), Files.readAllBytes(GOLDEN_V2)};
        for (byte[] bytes : files) {
            for (int payload = 0; payload < bytes.length - 16; payload++) {
                byte[] cut = java.util.Arrays.copyOf(bytes, 12 + payload + 4);
                ByteBuffer.wrap(cut).putInt(8, payload);
                fixChecksum(cut);
                assertThatThrownBy(() -> ModelReader.fromBytes(cut)).as("payload cut to %d", payload)
                        .isInstanceOf(InvalidModelException.class);
            }
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
        // The input channel count sits after the name, the version, the metadata, the input type and bits.
        int at = metadataOffset(model) + metadataBytes(model) + 2;
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
        byte[] bytes = Files.readAllBytes(GOLDEN_V1);
        assertThat(ByteBuffer.wrap(bytes).getShort(4)).isEqualTo((short) 1);
        Model read = ModelReader.fromBytes(bytes);
        assertThat(read.metadata()).isEmpty();
        assertThat(ModelWriter.toBytes(read)).isEqualTo(ModelWriter.toBytes(GoldenModel.build()));
    }

    /** The version-2 file committed with metadata: the writer still writes exactly it, later readers read it. */
    @Test
    void readsTheCommittedVersionTwoFile() throws Exception {
        byte[] bytes = Files.readAllBytes(GOLDEN_V2);
        assertThat(ByteBuffer.wrap(bytes).getShort(4)).isEqualTo((short) 2);
        Model read = ModelReader.fromBytes(bytes);
        Model expected = GoldenModel.buildV2();
        assertThat(read.name()).isEqualTo("golden-v2");
        assertThat(read.metadata()).containsExactlyEntriesOf(expected.metadata());
        assertThat(read.metadata().get("train.recipe")).endsWith("naïve ünïcode ✓");
        assertThat(bytes).isEqualTo(ModelWriter.toBytes(expected));
    }

    @Test
    void versionOneAndTwoFilesOfTheSameGraphRunTheSame() throws Exception {
        Model v1 = ModelReader.fromBytes(Files.readAllBytes(GOLDEN_V1));
        Model v2 = ModelReader.fromBytes(Files.readAllBytes(GOLDEN_V2));
        InferenceEngine a = InferenceEngine.builder(v1).build();
        InferenceEngine b = InferenceEngine.builder(v2).build();
        Randoms.fill(new SplittableRandom(7), a.input());
        Randoms.fill(new SplittableRandom(7), b.input());
        a.run();
        b.run();
        for (int i = 0; i < 2; i++) {
            assertThat(RefTensor.of(b.output(i)).sameAs(RefTensor.of(a.output(i)))).isTrue();
        }
    }

    @Test
    void metadataKeepsItsOrderAndCannotBeChanged() throws Exception {
        Map<String, String> metadata = new LinkedHashMap<>();
        for (String key : new String[] {"z", "a", "m", "b"}) {
            metadata.put(key, key.toUpperCase());
        }
        Model model = new Model("m", "1", sample(8).graph(), metadata);
        metadata.put("late", "not seen");
        Model read = ModelReader.fromBytes(ModelWriter.toBytes(model));
        assertThat(read.metadata().keySet()).containsExactly("z", "a", "m", "b");
        assertThatThrownBy(() -> read.metadata().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> model.metadata().remove("z")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(new Model("m", "1", model.graph()).metadata()).isEmpty();
        assertThatThrownBy(() -> new Model("m", "1", model.graph(), java.util.Collections.singletonMap("k", null)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRepeatedMetadataKeyIsInvalid() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("task", "one");
        metadata.put("tasK", "two");
        Model model = new Model("m", "1", sample(9).graph(), metadata);
        byte[] bytes = ModelWriter.toBytes(model);
        // The second key's last byte: count (2), first key (2 + 4), first value (2 + 3), second key length (2) + 3.
        int at = metadataOffset(model) + 2 + 6 + 5 + 2 + 3;
        assertThat(bytes[at]).isEqualTo((byte) 'K');
        bytes[at] = 'k';
        fixChecksum(bytes);
        assertThatThrownBy(() -> ModelReader.fromBytes(bytes))
                .isInstanceOf(InvalidModelException.class).hasMessageContaining("duplicate metadata key 'task'");
    }

    @Test
    void metadataOverTheLimitsIsRefused() throws Exception {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("a", "1");
        metadata.put("b", "a longer value");
        byte[] bytes = ModelWriter.toBytes(new Model("m", "1", sample(10).graph(), metadata));
        ModelReader fewEntries = new ModelReader(ReaderLimits.builder().maxMetadataEntries(1).build());
        assertThatThrownBy(() -> fewEntries.parse(bytes))
                .isInstanceOf(ModelLimitExceededException.class).hasMessageContaining("2 metadata entries");
        ModelReader shortStrings = new ModelReader(ReaderLimits.builder().maxMetadataStringBytes(13).build());
        assertThatThrownBy(() -> shortStrings.parse(bytes))
                .isInstanceOf(ModelLimitExceededException.class).hasMessageContaining("metadata entry 1 (b)")
                .hasMessageContaining("14 bytes");
        assertThat(new ModelReader(ReaderLimits.builder().maxMetadataStringBytes(14).build()).parse(bytes).metadata())
                .containsExactlyEntriesOf(metadata);
    }

    /** A huge declared count over a short payload fails on the bytes, without reserving room for the entries. */
    @Test
    void aMetadataCountLargerThanThePayloadIsInvalid() {
        Model model = sample(11);
        byte[] bytes = ModelWriter.toBytes(model);
        ByteBuffer.wrap(bytes).putShort(metadataOffset(model), (short) 0xFFFF);
        fixChecksum(bytes);
        ModelReader generous = new ModelReader(
                ReaderLimits.builder().maxMetadataEntries(65535).maxMetadataStringBytes(65535).build());
        assertThatThrownBy(() -> generous.parse(bytes)).isInstanceOf(InvalidModelException.class);
    }

    @Test
    void theWriterRefusesStringsTheFormatCannotHold() {
        Model model = new Model("m", "1", sample(12).graph(), Map.of("recipe", "x".repeat(65536)));
        assertThatThrownBy(() -> ModelWriter.toBytes(model)).isInstanceOf(IllegalArgumentException.class);
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
