package io.bitvision.testkit.audit;

import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.CameraHealth;
import io.bitvision.schemas.CameraState;
import java.util.List;

/** The health topic as a consumer reads it: decoded {@link CameraHealth} events in topic order, queried by camera. */
public final class HealthEvents {
    private final List<CameraHealth> events;

    private HealthEvents(List<CameraHealth> events) {
        this.events = events;
    }

    public static HealthEvents of(List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> records) {
        return new HealthEvents(records.stream().map(r -> AvroRecords.decode(r.value(), CameraHealth.class)).toList());
    }

    /** One camera's events, in order. */
    public List<CameraHealth> of(String camera) {
        return events.stream().filter(h -> h.getCameraId().equals(camera)).toList();
    }

    /** One camera's events in {@code state}, in order. */
    public List<CameraHealth> of(String camera, CameraState state) {
        return of(camera).stream().filter(h -> h.getState() == state).toList();
    }

    /** One camera's reasons in {@code state} (null reasons left out), in order. */
    public List<String> reasons(String camera, CameraState state) {
        return of(camera, state).stream().map(CameraHealth::getReason).filter(java.util.Objects::nonNull).toList();
    }

    /** How many times the camera's input was opened: STREAMING events whose reason is FFmpeg's "opened ..." line. */
    public long opens(String camera) {
        return reasons(camera, CameraState.STREAMING).stream().filter(r -> r.startsWith("opened ")).count();
    }

    public boolean has(String camera, CameraState state) {
        return !of(camera, state).isEmpty();
    }
}
