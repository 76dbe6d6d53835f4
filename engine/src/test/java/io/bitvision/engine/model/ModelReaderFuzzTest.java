package io.bitvision.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Thousands of mutated model files, version 2 with metadata and the committed version-1 and version-2 files: the
 * reader either returns a model or throws a {@link ModelFormatException} subclass; never an IndexOutOfBounds, an
 * OutOfMemoryError or a hang. Half the mutants get their length and checksum repaired so that the mutations
 * reach the record parser and the shape checks.
 */
class ModelReaderFuzzTest {

    @Test
    void mutatedFilesFailWithTypedErrorsOnly() throws Exception {
        SplittableRandom rnd = new SplittableRandom(99);
        byte[][] seeds = new byte[10][];
        for (int i = 0; i < 8; i++) {
            seeds[i] = ModelWriter.toBytes(ModelFormatTest.sample(100 + i));
        }
        seeds[8] = Files.readAllBytes(ModelFormatTest.GOLDEN_V1);
        seeds[9] = Files.readAllBytes(ModelFormatTest.GOLDEN_V2);
        Map<String, Integer> outcomes = new HashMap<>();
        ReaderLimits limits = ReaderLimits.builder().maxTensorBytes(64L << 20).maxMetadataEntries(65535).build();
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (int i = 0; i < 6000; i++) {
                byte[] mutant = mutate(rnd, seeds[rnd.nextInt(seeds.length)]);
                boolean repair = rnd.nextBoolean();
                if (repair && mutant.length >= 16) {
                    ByteBuffer.wrap(mutant).putInt(8, mutant.length - 16);
                    ModelFormatTest.fixChecksum(mutant);
                }
                String outcome;
                try {
                    new ModelReader(limits).parse(mutant);
                    outcome = "parsed";
                } catch (ModelFormatException e) {
                    outcome = e.getClass().getSimpleName();
                    assertThat(e.getMessage()).isNotBlank();
                } catch (Throwable t) {
                    throw new AssertionError("mutant " + i + " threw " + t, t);
                }
                outcomes.merge(outcome, 1, Integer::sum);
            }
        });
        System.out.println("fuzz outcomes: " + outcomes);
        assertThat(outcomes.getOrDefault("InvalidModelException", 0)).as("mutants reaching the parser").isGreaterThan(1000);
        assertThat(outcomes.getOrDefault("ChecksumMismatchException", 0)).isGreaterThan(500);
        assertThat(outcomes).containsKeys("TruncatedModelException", "BadMagicException", "UnsupportedVersionException");
    }

    private static byte[] mutate(SplittableRandom rnd, byte[] original) {
        byte[] b = original.clone();
        int edits = 1 + rnd.nextInt(4);
        for (int e = 0; e < edits; e++) {
            switch (rnd.nextInt(7)) {
                case 0 -> b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                case 2 -> b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length + 1));
                case 3 -> { // insert bytes
                    int at = rnd.nextInt(b.length + 1);
                    byte[] extra = new byte[1 + rnd.nextInt(8)];
                    rnd.nextBytes(extra);
                    byte[] grown = new byte[b.length + extra.length];
                    System.arraycopy(b, 0, grown, 0, at);
                    System.arraycopy(extra, 0, grown, at, extra.length);
                    System.arraycopy(b, at, grown, at + extra.length, b.length - at);
                    b = grown;
                }
                case 4 -> { // large 16-bit values where dimensions and counts live
                    if (b.length > 20) {
                        int at = 12 + rnd.nextInt(b.length - 14);
                        b[at] = (byte) 0xFF;
                        b[at + 1] = (byte) rnd.nextInt(256);
                    }
                }
                case 5 -> { // small header-region edits: magic and version
                    if (b.length > 6) {
                        b[rnd.nextInt(6)] = (byte) rnd.nextInt(256);
                    }
                }
                default -> { // delete a run of bytes
                    if (b.length > 2) {
                        int at = rnd.nextInt(b.length - 1);
                        int len = 1 + rnd.nextInt(Math.min(16, b.length - at));
                        byte[] shrunk = new byte[b.length - len];
                        System.arraycopy(b, 0, shrunk, 0, at);
                        System.arraycopy(b, at + len, shrunk, at, b.length - at - len);
                        b = shrunk;
                    }
                }
            }
            if (b.length == 0) {
                break;
            }
        }
        return b;
    }
}
