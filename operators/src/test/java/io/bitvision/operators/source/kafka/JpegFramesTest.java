package io.bitvision.operators.source.kafka;

import io.bitvision.operators.source.kafka.JpegDecodeException.Kind;

import java.awt.Color;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class JpegFramesTest {
    private static final Color ORANGE = new Color(230, 120, 20);
    private static final Color TEAL = new Color(20, 140, 150);

    private final JpegFrames frames = new JpegFrames(JpegLimits.defaults());

    private static Kind kindOf(JpegFrames decoder, byte[] input) {
        return catchThrowableOfType(JpegDecodeException.class, () -> decoder.decode(input)).kind();
    }

    @Test
    void decodesRgbRowMajorInterleaved() throws Exception {
        RgbImage image = frames.decode(TestJpegs.halves(64, 48, ORANGE, TEAL));

        assertThat(image.width()).isEqualTo(64);
        assertThat(image.height()).isEqualTo(48);
        assertThat(image.rgb()).hasSize(64 * 48 * 3);
        // Away from the edge between the halves (JPEG blurs it a little).
        assertThat(image.pixel(8, 5)).satisfies(p -> assertClose(p, ORANGE));
        assertThat(image.pixel(56, 40)).satisfies(p -> assertClose(p, TEAL));
    }

    @Test
    void solidColourSurvivesTheRoundTrip() throws Exception {
        Color color = TestJpegs.color(1, 7);
        assertThat(TestJpegs.maxDeviation(frames.decode(TestJpegs.solid(33, 17, color)), color)).isLessThanOrEqualTo(6);
    }

    @Test
    void grayscaleBecomesEqualChannels() throws Exception {
        RgbImage image = frames.decode(TestJpegs.gray(40, 30, 128));

        assertThat(image.rgb()).hasSize(40 * 30 * 3);
        for (int i = 0; i < image.rgb().length; i += 3) {
            assertThat(image.rgb()[i]).isEqualTo(image.rgb()[i + 1]).isEqualTo(image.rgb()[i + 2]);
        }
        // Replicated, not converted through a linear gray space (which would turn 128 into about 188).
        assertThat(image.pixel(20, 15)[0]).isBetween(126, 130);
    }

    @Test
    void cmykIsATypedUnsupportedError() {
        JpegDecodeException e = catchThrowableOfType(JpegDecodeException.class,
                () -> frames.decode(TestJpegs.cmyk(16, 16)));

        assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED);
        assertThat(e.getMessage()).contains("CMYK").contains("4 components");
    }

    @Test
    void emptyAndNullAreEmpty() {
        assertThat(kindOf(frames, new byte[0])).isEqualTo(Kind.EMPTY);
        assertThat(kindOf(frames, null)).isEqualTo(Kind.EMPTY);
    }

    @Test
    void randomBytesAreCorrupt() {
        byte[] random = new byte[2000];
        new Random(42).nextBytes(random);
        JpegDecodeException e = catchThrowableOfType(JpegDecodeException.class, () -> frames.decode(random));
        assertThat(e.kind()).isEqualTo(Kind.CORRUPT);
        assertThat(e.getMessage()).contains("not a JPEG");
    }

    @Test
    void randomBytesAfterAStartMarkerAreCorrupt() {
        byte[] random = new byte[2000];
        new Random(7).nextBytes(random);
        random[0] = (byte) 0xFF;
        random[1] = (byte) 0xD8;
        random[2] = (byte) 0xFF;
        assertThat(kindOf(frames, random)).isEqualTo(Kind.CORRUPT);
    }

    @Test
    void otherImageFormatsAreCorrupt() {
        assertThat(kindOf(frames, TestJpegs.png(8, 8))).isEqualTo(Kind.CORRUPT);
    }

    @Test
    void truncatedJpegsAreCorruptWhereverTheyAreCut() {
        byte[] jpeg = TestJpegs.halves(64, 48, ORANGE, TEAL);
        // Inside the header, half way through the scan, and only the end-of-image marker missing.
        for (int length : new int[] {3, 20, 100, jpeg.length / 2, jpeg.length - 10, jpeg.length - 2}) {
            byte[] cut = Arrays.copyOf(jpeg, length);
            JpegDecodeException e = catchThrowableOfType(JpegDecodeException.class, () -> frames.decode(cut));
            assertThat(e).as("cut at %d of %d bytes", length, jpeg.length).isNotNull();
            assertThat(e.kind()).as("cut at %d", length).isEqualTo(Kind.CORRUPT);
        }
    }

    @Test
    void tooManyBytesIsRefusedBeforeDecoding() {
        byte[] jpeg = TestJpegs.solid(64, 48, ORANGE);
        JpegFrames small = new JpegFrames(JpegLimits.defaults().withMaxBytes(jpeg.length - 1));

        JpegDecodeException e = catchThrowableOfType(JpegDecodeException.class, () -> small.decode(jpeg));
        assertThat(e.kind()).isEqualTo(Kind.TOO_MANY_BYTES);
        assertThat(e.oversized()).isTrue();
        assertThat(e.getMessage()).contains(jpeg.length + " bytes").contains("limit of " + (jpeg.length - 1));
    }

    @Test
    void exactlyTheLimitsIsAccepted() throws Exception {
        byte[] jpeg = TestJpegs.solid(64, 48, ORANGE);
        JpegFrames exact = new JpegFrames(new JpegLimits(jpeg.length, 64 * 48));
        assertThat(exact.decode(jpeg).width()).isEqualTo(64);
    }

    @Test
    void tooManyPixelsIsRefusedFromTheHeader() {
        JpegFrames small = new JpegFrames(JpegLimits.defaults().withMaxPixels(64 * 48 - 1));

        JpegDecodeException e = catchThrowableOfType(JpegDecodeException.class,
                () -> small.decode(TestJpegs.solid(64, 48, ORANGE)));
        assertThat(e.kind()).isEqualTo(Kind.TOO_MANY_PIXELS);
        assertThat(e.oversized()).isTrue();
        assertThat(e.getMessage()).contains("64x48");
    }

    @Test
    void aSmallFileDeclaringAHugeImageIsRefusedWithoutDecoding() {
        byte[] jpeg = TestJpegs.solid(16, 16, ORANGE);
        int sof = indexOfMarker(jpeg, 0xC0);
        assertThat(sof).isPositive();
        // SOF0: FF C0, length (2), precision (1), height (2), width (2): declare 60000 x 60000.
        for (int at : new int[] {sof + 5, sof + 7}) {
            jpeg[at] = (byte) (60000 >> 8);
            jpeg[at + 1] = (byte) 60000;
        }
        JpegDecodeException e = catchThrowableOfType(JpegDecodeException.class, () -> frames.decode(jpeg));
        assertThat(e.kind()).isEqualTo(Kind.TOO_MANY_PIXELS);
        assertThat(e.getMessage()).contains("60000x60000");
    }

    private static int indexOfMarker(byte[] jpeg, int marker) {
        for (int i = 2; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == marker) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void decoderIsReusableAfterEveryKindOfFailure() throws Exception {
        byte[] good = TestJpegs.solid(20, 10, TEAL);
        byte[] random = new byte[300];
        new Random(3).nextBytes(random);
        random[0] = (byte) 0xFF;
        random[1] = (byte) 0xD8;
        random[2] = (byte) 0xFF;
        for (byte[] bad : new byte[][] {random, Arrays.copyOf(good, good.length / 2), TestJpegs.cmyk(8, 8), {}}) {
            assertThatThrownBy(() -> frames.decode(bad)).isInstanceOf(JpegDecodeException.class);
            assertThat(TestJpegs.maxDeviation(frames.decode(good), TEAL)).isLessThanOrEqualTo(6);
        }
    }

    @Test
    void limitsAreChecked() {
        assertThatThrownBy(() -> new JpegLimits(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JpegLimits(10, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JpegLimits(10, JpegLimits.MAX_PIXELS_LIMIT + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(JpegLimits.defaults()).isEqualTo(new JpegLimits(8 << 20, 4096L * 4096));
    }

    private static void assertClose(int[] rgb, Color expected) {
        assertThat(Math.abs(rgb[0] - expected.getRed())).isLessThanOrEqualTo(8);
        assertThat(Math.abs(rgb[1] - expected.getGreen())).isLessThanOrEqualTo(8);
        assertThat(Math.abs(rgb[2] - expected.getBlue())).isLessThanOrEqualTo(8);
    }
}
