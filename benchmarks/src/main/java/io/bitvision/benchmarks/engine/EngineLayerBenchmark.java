package io.bitvision.benchmarks.engine;

import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.kernel.KernelStrategy;
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
        BenchCase.fillInput(engine.input(), 7);
    }

    @Benchmark
    public long layer() {
        engine.run();
        return engine.input().data()[0];
    }
}
