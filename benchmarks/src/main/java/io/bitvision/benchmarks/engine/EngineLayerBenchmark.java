package io.bitvision.benchmarks.engine;

import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.kernel.KernelStrategy;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** One layer of a {@link BenchCase} through our engine, one thread. */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EngineLayerBenchmark {
    @Param({"CONV3X3_128_BINARY"})
    public String benchCase;

    @Param({"VECTOR"})
    public String strategy;

    private InferenceEngine engine;

    @Setup
    public void setUp() {
        engine = InferenceEngine.builder(BenchCase.valueOf(benchCase).model())
                .kernels(KernelStrategy.valueOf(strategy)).build();
        long[] data = engine.input().data();
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < data.length; i++) {
            data[i] = rnd.nextLong();
        }
        // Random words also set padding bits past the last channel; real producers never do.
        io.bitvision.engine.tensor.BitTensor in = engine.input();
        int words = in.channelWords();
        int channels = in.spec().channels();
        for (int plane = 0; plane < in.spec().bits(); plane++) {
            for (int y = 0; y < in.spec().height(); y++) {
                for (int x = 0; x < in.spec().width(); x++) {
                    int at = in.index(plane, words - 1, y, x);
                    data[at] &= io.bitvision.engine.tensor.BitPacking.validMask(channels, words - 1);
                }
            }
        }
    }

    @Benchmark
    public long layer() {
        engine.run();
        return engine.input().data()[0];
    }
}
