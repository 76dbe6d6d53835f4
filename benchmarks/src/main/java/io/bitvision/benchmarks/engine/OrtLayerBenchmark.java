package io.bitvision.benchmarks.engine;

import io.bitvision.benchmarks.engine.onnx.ConvWeights;
import io.bitvision.benchmarks.engine.onnx.OnnxConvModel;
import io.bitvision.benchmarks.engine.onnx.OrtConvRunner;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** The same layer as float in ONNX Runtime (CPU, optimisation level ALL), one intra-op thread. */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OrtLayerBenchmark {
    @Param({"CONV3X3_128_BINARY"})
    public String benchCase;

    private OrtConvRunner runner;

    @Setup
    public void setUp() throws Exception {
        BenchCase c = BenchCase.valueOf(benchCase);
        runner = new OrtConvRunner(OnnxConvModel.conv(c.onnxShape(), ConvWeights.random(c.onnxShape(), 42)), 1);
    }

    @Benchmark
    public float layer() throws Exception {
        return runner.run();
    }

    @TearDown
    public void tearDown() throws Exception {
        runner.close();
    }
}
