package io.bitvision.schemas;

import io.bitvision.engine.post.CocoRle;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Random but valid records of every published type; masks are real masks encoded with the engine's CocoRle. */
final class SampleRecords {
    /** 2020-01-01 to 2050-01-01: inside what every Avro library's date types can hold. */
    private static final long EARLIEST_MS = 1_577_836_800_000L;
    private static final long LATEST_MS = 2_524_608_000_000L;

    private final SplittableRandom random;

    SampleRecords(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A FrameMasks record with the row-major masks its instances were encoded from, in instance order. */
    record Frame(FrameMasks record, List<byte[]> masks) {
    }

    FrameMasks frameMasks(int height, int width) {
        return frame(height, width).record();
    }

    Frame frame(int height, int width) {
        List<byte[]> masks = new ArrayList<>();
        List<Instance> instances = new ArrayList<>();
        for (int count = random.nextInt(5); count > 0; count--) {
            byte[] mask = mask(height, width);
            masks.add(mask);
            instances.add(instance(mask, height, width));
        }
        return new Frame(frameMasks(instances, height, width), masks);
    }

    private FrameMasks frameMasks(List<Instance> instances, int height, int width) {
        boolean ptsKnown = random.nextBoolean();
        return FrameMasks.newBuilder()
                .setCameraId(text("cam-"))
                .setFrameSeq(random.nextLong(1L << 40))
                .setPtsUs(ptsKnown ? random.nextLong(1L << 50) : -1)
                .setCaptureTimeMs(instant())
                .setCaptureTimeSource(pick(CaptureTimeSource.values()))
                .setIngestTimeMs(instant())
                .setFrameWidth(width)
                .setFrameHeight(height)
                .setModelId(text("person-seg-"))
                .setModelVersion(random.nextInt(10) + "." + random.nextInt(100))
                .setFramesDropped(random.nextInt(1000))
                .setInstances(instances)
                .build();
    }

    /** An instance whose full-frame mask is encoded, measured and boxed by CocoRle. */
    private Instance instance(byte[] mask, int height, int width) {
        int[] counts = CocoRle.counts(mask, height, width);
        int[] box = CocoRle.bbox(counts, height, width);
        return Instance.newBuilder()
                .setTrackId(random.nextLong(1L << 32))
                .setClassId(random.nextInt(80))
                .setClassName(random.nextInt(4) == 0 ? text("class-") : "person")
                .setScore(random.nextFloat())
                .setBbox(List.of((float) box[0], (float) box[1], (float) box[2], (float) box[3]))
                .setArea(CocoRle.area(counts))
                .setRle(Rle.newBuilder().setSize(List.of(height, width)).setCounts(CocoRle.compress(counts)).build())
                .build();
    }

    CameraActivity cameraActivity() {
        long block = 1 + random.nextInt(500);
        long first = random.nextLong(1L << 30) * block;
        int processed = random.nextInt((int) block + 1);
        return CameraActivity.newBuilder()
                .setCameraId(text("cam-"))
                .setFirstFrameSeq(first)
                .setLastFrameSeq(first + block - 1)
                .setFramesProcessed(processed)
                .setFramesDropped(random.nextInt((int) block - processed + 1))
                .setFramesWithPeople(random.nextInt(processed + 1))
                .setMaxPeople(random.nextInt(40))
                .setMeanPeople(random.nextFloat() * 10)
                .setDistinctTracks(random.nextInt(100))
                .setStartCaptureTimeMs(instant())
                .setEndCaptureTimeMs(instant())
                .setModelId(text("model-"))
                .build();
    }

    FramePreview framePreview() {
        byte[] jpeg = new byte[1 + random.nextInt(4000)];
        random.nextBytes(jpeg);
        return FramePreview.newBuilder()
                .setCameraId(text("cam-"))
                .setFrameSeq(random.nextLong(1L << 40))
                .setCaptureTimeMs(instant())
                .setFrameWidth(1 + random.nextInt(4000))
                .setFrameHeight(1 + random.nextInt(3000))
                .setWidth(1 + random.nextInt(640))
                .setHeight(1 + random.nextInt(480))
                .setJpeg(java.nio.ByteBuffer.wrap(jpeg))
                .build();
    }

    FaceMatch faceMatch() {
        return FaceMatch.newBuilder()
                .setEventId(text("evt-"))
                .setCameraId(text("cam-"))
                .setFrameSeq(random.nextLong(1L << 40))
                .setTrackId(random.nextLong(1L << 32))
                .setIdentityId(text("id-"))
                .setSimilarity(random.nextFloat())
                .setThreshold(0.363f)
                .setModelId(text("sface-"))
                .setModelVersion("1." + random.nextInt(10))
                .setWatchlistVersion(random.nextLong(1L << 40))
                .setCaptureTimeMs(instant())
                .setEmittedTimeMs(instant())
                .setBbox(floats(4, 1000f))
                .setEmbedding(random.nextBoolean() ? null : floats(128, 1f))
                .build();
    }

    WatchlistUpdate watchlistUpdate() {
        WatchlistOp op = pick(WatchlistOp.values());
        List<List<Float>> embeddings = new ArrayList<>();
        for (int i = op == WatchlistOp.DELETE ? 0 : 1 + random.nextInt(3); i > 0; i--) {
            embeddings.add(floats(128, 1f));
        }
        return WatchlistUpdate.newBuilder()
                .setIdentityId(text("id-"))
                .setOp(op)
                .setVersion(random.nextLong(1L << 40))
                .setEmbeddings(embeddings)
                .setModelId(text("sface-"))
                .setDisplayName(random.nextBoolean() ? null : text("Ünïcødé name "))
                .setUpdatedTimeMs(instant())
                .build();
    }

    CameraHealth cameraHealth() {
        CameraState state = pick(CameraState.values());
        return CameraHealth.newBuilder()
                .setCameraId(text("cam-"))
                .setTimeMs(instant())
                .setState(state)
                .setReason(state == CameraState.STREAMING ? null : text("no frame for ms "))
                .setReconnectAttempts(random.nextInt(100))
                .setFramesDecoded(random.nextLong(1L << 40))
                .setFramesDropped(random.nextLong(1L << 20))
                .setDecodeFps(random.nextFloat() * 30)
                .build();
    }

    DeadLetter deadLetter() {
        boolean fromKafka = random.nextBoolean();
        byte[] payload = new byte[random.nextInt(200)];
        random.nextBytes(payload);
        return DeadLetter.newBuilder()
                .setTimeMs(instant())
                .setSourceTopic(fromKafka ? text("watchlist-") : null)
                .setCameraId(fromKafka ? null : text("cam-"))
                .setSourceUri(fromKafka ? null : "rtsp://10.0.0." + random.nextInt(255) + "/stream")
                .setPosition(random.nextInt(4) == 0 ? null : random.nextLong(1L << 40))
                .setErrorType("org.apache.avro.AvroRuntimeException")
                .setReason(text("cannot decode "))
                .setPayload(fromKafka ? ByteBuffer.wrap(payload) : null)
                .build();
    }

    /** Empty, full, noisy or a few rectangles: the shapes whose runs differ most. */
    private byte[] mask(int height, int width) {
        byte[] mask = new byte[height * width];
        int kind = random.nextInt(5);
        if (kind == 1) {
            Arrays.fill(mask, (byte) 1);
        } else if (kind == 2) {
            double density = random.nextDouble();
            for (int i = 0; i < mask.length; i++) {
                mask[i] = (byte) (random.nextDouble() < density ? 1 : 0);
            }
        } else if (kind >= 3) {
            for (int rectangle = 1 + random.nextInt(3); rectangle > 0; rectangle--) {
                int x0 = random.nextInt(width);
                int y0 = random.nextInt(height);
                int x1 = x0 + random.nextInt(width - x0);
                int y1 = y0 + random.nextInt(height - y0);
                for (int y = y0; y <= y1; y++) {
                    Arrays.fill(mask, y * width + x0, y * width + x1 + 1, (byte) 1);
                }
            }
        }
        return mask;
    }

    private Instant instant() {
        return Instant.ofEpochMilli(random.nextLong(EARLIEST_MS, LATEST_MS));
    }

    private String text(String prefix) {
        return prefix + Long.toString(random.nextLong(1L << 40), 36);
    }

    private List<Float> floats(int length, float scale) {
        List<Float> values = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            values.add((random.nextFloat() * 2 - 1) * scale);
        }
        return values;
    }

    private <E> E pick(E[] values) {
        return values[random.nextInt(values.length)];
    }
}
