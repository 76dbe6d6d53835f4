package io.bitvision.operators.source.testing;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A reader output that hands every record (main or per-split output) to a consumer and counts split outputs. */
public final class CollectingReaderOutput<T> implements ReaderOutput<T> {
    private final Consumer<T> sink;
    public final List<String> openSplitOutputs = new ArrayList<>();

    public CollectingReaderOutput(Consumer<T> sink) {
        this.sink = sink;
    }

    @Override
    public void collect(T record) {
        sink.accept(record);
    }

    @Override
    public void collect(T record, long timestamp) {
        sink.accept(record);
    }

    @Override
    public void emitWatermark(Watermark watermark) {}

    @Override
    public void markIdle() {}

    @Override
    public void markActive() {}

    @Override
    public SourceOutput<T> createOutputForSplit(String splitId) {
        openSplitOutputs.add(splitId);
        return this;
    }

    @Override
    public void releaseOutputForSplit(String splitId) {
        openSplitOutputs.remove(splitId);
    }
}
