package io.bitvision.operators.source.testing;

import io.bitvision.operators.source.CameraRecord;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.core.io.InputStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/** Drives a source reader the way Flink's source operator does: poll while available, else wait on the future. */
public final class ReaderDriver {
    private ReaderDriver() {}

    /**
     * Polls until {@code done} holds for the records so far, the reader ends, or {@code timeout} passes (then
     * fails). {@code pauseAfterEach} slows the consumer down (a lagging job).
     */
    public static List<CameraRecord> drain(SourceReader<CameraRecord, ?> reader,
                                           Predicate<List<CameraRecord>> done, Duration timeout,
                                           Duration pauseAfterEach) throws Exception {
        List<CameraRecord> records = new ArrayList<>();
        CollectingReaderOutput<CameraRecord> output = new CollectingReaderOutput<>(records::add);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(records)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("reader did not finish in " + timeout + "; got " + records.size()
                        + " records, last " + (records.isEmpty() ? null : records.get(records.size() - 1)));
            }
            InputStatus status = reader.pollNext(output);
            if (status == InputStatus.END_OF_INPUT) {
                break;
            }
            if (status == InputStatus.NOTHING_AVAILABLE) {
                try {
                    reader.isAvailable().get(left, TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    // loop reports
                }
            } else if (!pauseAfterEach.isZero()) {
                Thread.sleep(pauseAfterEach.toMillis());
            }
        }
        return records;
    }
}
