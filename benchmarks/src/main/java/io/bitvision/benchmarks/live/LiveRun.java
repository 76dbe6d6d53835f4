package io.bitvision.benchmarks.live;

import io.bitvision.operators.kafka.Topics;
import java.util.List;
import org.apache.flink.api.common.JobStatus;

/** A running pipeline job with live cameras, wherever it runs: its topics and cameras, its state; close cancels it. */
public interface LiveRun extends AutoCloseable {
    Topics topics();

    List<String> cameraIds();

    /** The job's status now, or FAILED when it cannot be asked. */
    JobStatus status();

    /** Why the job ended, or null while it runs or when it ended without a failure. */
    Object failure();
}
