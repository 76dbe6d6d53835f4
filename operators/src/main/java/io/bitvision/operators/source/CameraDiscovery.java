package io.bitvision.operators.source;

import java.io.Serializable;
import java.util.Collection;

/**
 * Finds cameras while the job runs. The enumerator calls {@link #discover()} periodically (on Flink's coordinator
 * worker thread, never on the coordinator thread itself) and adds every camera whose id it has not seen yet as a
 * new split; ids already known are left alone (changing or removing a camera is not supported yet). A source with
 * a discovery is unbounded.
 *
 * <p>The planned camera-registry topic implements this by reading a compacted Kafka topic; tests use a list that
 * grows.
 */
@FunctionalInterface
public interface CameraDiscovery extends Serializable {

    /** All cameras that should exist now (a full listing; known ids are ignored). May block for I/O. */
    Collection<CameraSpec> discover() throws Exception;
}
