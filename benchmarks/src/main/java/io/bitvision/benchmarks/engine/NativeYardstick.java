package io.bitvision.benchmarks.engine;

import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.graph.ConvOp;
import io.bitvision.engine.kernel.AccumulatorTransform;
import io.bitvision.engine.kernel.ConvGeometry;
import io.bitvision.engine.tensor.BitTensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The native yardstick of {@code bench engine}: {@code bitconv.c}, one dense layer in C with intrinsics for the
 * instruction set gcc targets, built here with Debian's gcc and run on the same case file as the engine's layer.
 * It is the limit the engine is measured against, so a test checks that it computes the engine's exact output.
 */
public final class NativeYardstick {
    private static final String SOURCE = "native/bitconv.c";
    private static final Path GCC = Path.of("/usr/bin/gcc");

    private final Path binary;
    private final String compiler;
    private final List<String> flags;

    private NativeYardstick(Path binary, String compiler, List<String> flags) {
        this.binary = binary;
        this.compiler = compiler;
        this.flags = flags;
    }

    /** What one run of the C layer gave: the kernel family it was built with, its median and its output words. */
    public record Run(String family, double medianMicros, long[] outputWords) {}

    /**
     * Builds bitconv.c in {@code workDir} with {@code gcc -O3 -march=MARCH}; empty when gcc is not installed.
     * A compile error is an exception: the source ships with the bench and must build.
     */
    public static Optional<NativeYardstick> build(Path workDir, String march) throws IOException, InterruptedException {
        if (!Files.isExecutable(GCC)) {
            return Optional.empty();
        }
        Files.createDirectories(workDir);
        Path source = workDir.resolve("bitconv.c");
        try (InputStream in = NativeYardstick.class.getResourceAsStream(SOURCE)) {
            if (in == null) {
                throw new IllegalStateException("bench resource " + SOURCE + " is missing from the classpath");
            }
            Files.write(source, in.readAllBytes());
        }
        Path binary = workDir.resolve("bitconv");
        List<String> flags = List.of("-O3", "-march=" + march);
        List<String> command = new ArrayList<>(List.of(GCC.toString()));
        command.addAll(flags);
        command.addAll(List.of("-o", binary.toString(), source.toString()));
        String output = exec(command, 120, workDir);
        String version = exec(List.of(GCC.toString(), "-dumpfullversion"), 30, workDir).trim();
        if (!output.isBlank()) {
            System.out.println("gcc: " + output.trim());
        }
        return Optional.of(new NativeYardstick(binary, "gcc " + version, flags));
    }

    public String compiler() {
        return compiler;
    }

    public List<String> flags() {
        return flags;
    }

    /** Whether the C layer covers this case: dense, stride and dilation 1, whole 64-channel words. */
    public static boolean supports(BenchCase benchCase) {
        ConvGeometry g = benchCase.geometry();
        return g.groups() == 1 && g.strideH() == 1 && g.strideW() == 1 && g.dilationH() == 1 && g.dilationW() == 1
                && g.inChannels() % 64 == 0;
    }

    /**
     * Runs the layer of {@code engine} (a one-conv model from {@link BenchCase#model()}) on the engine's current input,
     * {@code repeat} timed times after one warm-up run.
     */
    public Run run(InferenceEngine engine, int repeat, Path workDir) throws IOException, InterruptedException {
        Path caseFile = workDir.resolve("case.bin");
        Path outFile = workDir.resolve("out.bin");
        Files.write(caseFile, caseBytes(engine));
        String line = exec(List.of(binary.toString(), caseFile.toString(), outFile.toString(), Integer.toString(repeat)),
                600, workDir).trim();
        String[] parts = line.split(" ");
        if (parts.length != 2) {
            throw new IllegalStateException("bitconv printed '" + line + "', expected 'FAMILY MICROS'");
        }
        ByteBuffer out = ByteBuffer.wrap(Files.readAllBytes(outFile)).order(ByteOrder.LITTLE_ENDIAN);
        long[] words = new long[out.remaining() / Long.BYTES];
        out.asLongBuffer().get(words);
        return new Run(parts[0], Double.parseDouble(parts[1]), words);
    }

    /** The case file bitconv.c reads: header, padded input words, weights, limits and inverts. */
    static byte[] caseBytes(InferenceEngine engine) {
        ConvOp conv = (ConvOp) engine.model().graph().nodes().getFirst().op();
        ConvGeometry g = conv.geometry();
        AccumulatorTransform transform = conv.accumulatorTransform();
        BitTensor in = engine.input();
        BitTensor out = (BitTensor) engine.output(0);
        int h = in.spec().height();
        int w = in.spec().width();
        int planes = in.spec().bits();
        int words = in.channelWords();
        // Dense with whole 64-channel words: the canonical order (out, tap, channel) is bitconv.c's [o][tap][word].
        long[] weights = conv.weights().canonicalCopy();
        long[] limits = transform.limits();
        long[] inverts = transform.inverts();
        long inputWords = (long) planes * words * (h + 2L * g.padH()) * (w + 2L * g.padW());
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(11 * Integer.BYTES
                + (inputWords + weights.length + limits.length + inverts.length) * Long.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : new int[] {g.inChannels(), g.outChannels(), g.kernelH(), g.kernelW(), g.padH(), g.padW(), h, w,
                planes, transform.levels(), out.spec().bits()}) {
            buf.putInt(v);
        }
        long[] data = in.data();
        for (int plane = 0; plane < planes; plane++) {
            for (int word = 0; word < words; word++) {
                for (int y = -g.padH(); y < h + g.padH(); y++) {
                    for (int x = -g.padW(); x < w + g.padW(); x++) {
                        boolean inside = y >= 0 && y < h && x >= 0 && x < w;
                        buf.putLong(inside ? data[in.index(plane, word, y, x)] : 0L);
                    }
                }
            }
        }
        for (long v : weights) {
            buf.putLong(v);
        }
        for (long v : limits) {
            buf.putLong(v);
        }
        for (long v : inverts) {
            buf.putLong(v);
        }
        return buf.array();
    }

    /** Runs a command with its output in a file, so that the timeout holds even when it never closes its output. */
    private static String exec(List<String> command, int timeoutSeconds, Path workDir)
            throws IOException, InterruptedException {
        Path log = workDir.resolve("exec.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " ran past " + timeoutSeconds + " s");
        }
        String text = Files.readString(log, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + text);
        }
        return text;
    }
}
