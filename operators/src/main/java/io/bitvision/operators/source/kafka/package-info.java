/**
 * The Kafka ingest (public API): cameras that push JPEG frames to a topic (key = camera id in UTF-8, value = one
 * JPEG, record timestamp = capture time) become the same {@link io.bitvision.operators.source.CameraRecord}s as
 * the video source emits, so a job can union both streams before its {@code keyBy(cameraId)}.
 *
 * <ul>
 *   <li>{@link io.bitvision.operators.source.kafka.KafkaJpegIngest} is the front door: a builder for a
 *       flink-connector-kafka {@code KafkaSource<CameraRecord>} (read_committed, consumer settings passed through).
 *   <li>{@link io.bitvision.operators.source.kafka.JpegRecordDeserializer} turns one Kafka record into one FRAME or
 *       one DEAD_LETTER carrying the original bytes; it never throws.
 *   <li>{@link io.bitvision.operators.source.kafka.JpegFrames} decodes JPEG to RGB within
 *       {@link io.bitvision.operators.source.kafka.JpegLimits}, or fails with a typed
 *       {@link io.bitvision.operators.source.kafka.JpegDecodeException}.
 *   <li>{@link io.bitvision.operators.source.kafka.FrameSequencer} (after {@code keyBy(cameraId)}) gives the frames
 *       of each camera contiguous numbers from 0, kept in keyed state.
 * </ul>
 *
 * <p>Camera ids of pushing cameras must differ from those of video cameras: both share the per-camera state of the
 * operators downstream.
 */
package io.bitvision.operators.source.kafka;
