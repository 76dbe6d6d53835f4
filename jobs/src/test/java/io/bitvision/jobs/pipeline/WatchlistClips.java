package io.bitvision.jobs.pipeline;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;

import io.bitvision.operators.source.reader.RgbFrames;
import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.WatchlistUpdate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/** What the face-matching tests share: a clip's first frames as RGB bytes, and publishing a watchlist update. */
final class WatchlistClips {
    private WatchlistClips() {}

    /** The first {@code count} frames of the clip (all when it has fewer), tight RGB as the job's source emits them. */
    static List<byte[]> rgbFrames(Path clip, int count) throws Exception {
        List<byte[]> out = new ArrayList<>();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(clip.toFile())) {
            grabber.setPixelFormat(AV_PIX_FMT_RGB24);
            grabber.start();
            Frame frame;
            while (out.size() < count && (frame = grabber.grabImage()) != null) {
                out.add(RgbFrames.copy(frame));
            }
            grabber.stop();
        }
        return out;
    }

    /** Publishes the update to the watchlist topic, keyed by identity, and waits for the broker's acknowledgement. */
    static void publish(String bootstrapServers, String topic, WatchlistUpdate update) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("key.serializer", ByteArraySerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(topic, update.getIdentityId().toString().getBytes(StandardCharsets.UTF_8),
                    AvroRecords.encode(update))).get();
        }
    }
}
