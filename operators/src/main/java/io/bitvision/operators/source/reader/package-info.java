/**
 * The reader side of the camera source (task managers): {@link io.bitvision.operators.source.reader.CameraSourceReader}
 * with one {@code CameraWorker} per camera (decode sessions on their own threads, health, reconnects), the bounded
 * {@code FrameHandoff} between a camera and the task thread, and the watchdog. Internal except the reader class,
 * which {@code VideoSource} creates.
 */
package io.bitvision.operators.source.reader;
