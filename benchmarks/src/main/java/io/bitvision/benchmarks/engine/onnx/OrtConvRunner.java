package io.bitvision.benchmarks.engine.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * Runs a single-input, single-output float model (such as {@link OnnxConvModel}) in ONNX Runtime
 * on the CPU, with a random input tensor made once.
 */
public final class OrtConvRunner implements AutoCloseable {

    private static final long INPUT_SEED = 0x5EEDL;

    private final OrtSession session;
    private final FloatBuffer input;
    private final FloatBuffer output;
    private final OnnxTensor inputTensor;
    private final OnnxTensor outputTensor;
    private final Map<String, OnnxTensor> inputs;
    private final Map<String, OnnxTensor> outputs;

    public OrtConvRunner(byte[] model, int threads) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            session = env.createSession(model, options);
        }
        try {
            NodeInfo in = session.getInputInfo().values().iterator().next();
            NodeInfo out = session.getOutputInfo().values().iterator().next();
            long[] inDims = ((TensorInfo) in.getInfo()).getShape();
            long[] outDims = ((TensorInfo) out.getInfo()).getShape();

            input = directFloats(count(inDims));
            Random random = new Random(INPUT_SEED);
            while (input.hasRemaining()) {
                input.put(random.nextFloat() * 2f - 1f);
            }
            input.rewind();
            output = directFloats(count(outDims));
            // Tensors over direct buffers wrap that memory: no copy in, and ORT writes the
            // result into the pinned output, so a run allocates no Java-side output.
            inputTensor = OnnxTensor.createTensor(env, input, inDims);
            outputTensor = OnnxTensor.createTensor(env, output, outDims);
            inputs = Map.of(in.getName(), inputTensor);
            outputs = Map.of(out.getName(), outputTensor);
        } catch (OrtException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Runs the model once and returns the first output value. */
    public float run() throws OrtException {
        try (OrtSession.Result ignored = session.run(inputs, outputs)) {
            return output.get(0);
        }
    }

    /** Runs the model once and copies the whole output. */
    public float[] runAndCopy() throws OrtException {
        run();
        return copy(output);
    }

    /** A copy of the input, NCHW. */
    public float[] input() {
        return copy(input);
    }

    @Override
    public void close() throws OrtException {
        if (outputTensor != null) {
            outputTensor.close();
        }
        if (inputTensor != null) {
            inputTensor.close();
        }
        session.close();
    }

    private static FloatBuffer directFloats(int count) {
        return ByteBuffer.allocateDirect(4 * count).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static float[] copy(FloatBuffer buffer) {
        float[] values = new float[buffer.capacity()];
        buffer.get(0, values);
        return values;
    }

    private static int count(long[] dims) {
        long count = 1;
        for (long dim : dims) {
            if (dim <= 0) {
                throw new IllegalArgumentException("model needs static dims, got " + Arrays.toString(dims));
            }
            count *= dim;
        }
        return Math.toIntExact(count);
    }
}
