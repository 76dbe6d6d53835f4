package io.bitvision.benchmarks.engine;

import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.kernel.CpuFeatures;
import io.bitvision.engine.kernel.KernelStrategy;
import io.bitvision.engine.kernel.Kernels;
import io.bitvision.benchmarks.live.Machine;
import io.bitvision.testkit.report.JsonReports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code ./bitvision bench engine [--quick] [--out FILE]}: runs the engine layers and their ONNX Runtime float
 * counterparts under JMH in one run, and writes medians, MAC rates, ratios and allocation per operation as JSON.
 */
public final class BenchMain {
    private BenchMain() {}

    /**
     * Runs the benchmarks ({@code quick}: fewer iterations) and writes the report to {@code out}. {@code jvmArgs} go to
     * the forked JVM that runs them, for example {@code -XX:UseAVX=2} to measure what an AVX2-only CPU runs.
     */
    public static void run(boolean quick, Path out, List<String> jvmArgs) throws Exception {
        run(quick, out, jvmArgs, "native");
    }

    /**
     * As {@link #run(boolean, Path, List)}, with the native yardstick built for {@code nativeMarch} (gcc's -march:
     * "native", or "x86-64-v3" beside {@code -XX:UseAVX=2} to measure an AVX2 CPU on an AVX-512 machine).
     */
    public static void run(boolean quick, Path out, List<String> jvmArgs, String nativeMarch) throws Exception {
        List<String> families = Kernels.runnable().stream().map(Enum::name).toList();
        CpuFeatures cpu = CpuFeatures.current();
        CpuFeatures forked = new CpuFeatures(cpu.model(), cpu.flags(), forkedUseAvx(cpu.useAvx(), jvmArgs));
        // What AUTO picks in the fork, which always has the Vector API and may have a lower UseAVX than this JVM.
        KernelStrategy auto = Kernels.familyFor(forked, true);
        System.out.println("CPU: " + forked.summary() + "; AUTO picks " + auto);
        List<String> forkArgs = new ArrayList<>(List.of("--add-modules", "jdk.incubator.vector", "-Xmx2g"));
        forkArgs.addAll(jvmArgs);
        List<String> caseNames = new ArrayList<>();
        for (BenchCase c : BenchCase.values()) {
            caseNames.add(c.name());
        }
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(EngineLayerBenchmark.class.getSimpleName())
                .include(OrtLayerBenchmark.class.getSimpleName())
                .param("benchCase", caseNames.toArray(String[]::new))
                .param("strategy", families.toArray(String[]::new))
                .forks(1)
                .threads(1)
                .jvmArgsAppend(forkArgs.toArray(String[]::new))
                .warmupIterations(quick ? 2 : 4)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(quick ? 3 : 8)
                .measurementTime(TimeValue.seconds(1));
        Collection<RunResult> results = new Runner(options.build()).run();

        Map<String, Measured> engine = new LinkedHashMap<>();
        Map<String, Measured> ort = new LinkedHashMap<>();
        for (RunResult r : results) {
            String benchCase = r.getParams().getParam("benchCase");
            Result<?> primary = r.getPrimaryResult();
            double medianMicros = primary.getStatistics().getPercentile(50);
            Measured m = new Measured(medianMicros, Double.NaN);
            if (r.getParams().getBenchmark().contains("OrtLayer")) {
                ort.put(benchCase, m);
            } else {
                engine.put(benchCase + "/" + r.getParams().getParam("strategy"), m);
            }
        }

        Path nativeDir = Files.createTempDirectory("bitvision-native");
        Optional<NativeYardstick> yardstick = NativeYardstick.build(nativeDir, nativeMarch);
        Map<BenchCase, NativeYardstick.Run> nativeRuns = new LinkedHashMap<>();
        if (yardstick.isEmpty()) {
            System.out.println("native yardstick: /usr/bin/gcc not found, measuring without it");
        } else {
            for (BenchCase c : BenchCase.values()) {
                if (NativeYardstick.supports(c)) {
                    InferenceEngine layer = InferenceEngine.builder(c.model()).kernels(KernelStrategy.SCALAR).build();
                    BenchCase.fillInput(layer.input(), 7);
                    NativeYardstick.Run run = yardstick.get().run(layer, quick ? 200 : 600, nativeDir);
                    System.out.printf(Locale.ROOT, "native %s %s (%s): %.1f us%n", c.layer(), c.mode(), run.family(),
                            run.medianMicros());
                    nativeRuns.put(c, run);
                }
            }
        }

        deleteTree(nativeDir);

        List<Map<String, Object>> cases = new ArrayList<>();
        System.out.printf(Locale.ROOT, "%n%-24s %-7s %-12s %12s %14s %14s %8s %14s %8s %10s%n", "layer", "mode", "kernel",
                "median us", "G MAC/s", "ORT G MAC/s", "vs ORT", "C G MAC/s", "vs C", "alloc B/op");
        for (BenchCase c : BenchCase.values()) {
            Measured ortResult = ort.get(c.name());
            for (String strategy : families) {
                Measured timed = engine.get(c.name() + "/" + strategy);
                if (timed == null) {
                    continue;
                }
                Measured m = new Measured(timed.medianMicros, SteadyStateAllocation.bytesPerRun(c,
                        KernelStrategy.valueOf(strategy), quick ? 2_000_000_000L : 5_000_000_000L, 100));
                double macsPerSecond = c.macs() / (m.medianMicros * 1e-6);
                double ortMacsPerSecond = ortResult == null ? Double.NaN : c.macs() / (ortResult.medianMicros * 1e-6);
                double ratio = macsPerSecond / ortMacsPerSecond;
                NativeYardstick.Run nativeRun = nativeRuns.get(c);
                double nativeMacsPerSecond = nativeRun == null ? Double.NaN : c.macs() / (nativeRun.medianMicros() * 1e-6);
                System.out.printf(Locale.ROOT, "%-24s %-7s %-12s %12.1f %14.1f %14.1f %8.2f %14.1f %8.2f %10.1f%n",
                        c.layer(), c.mode(), strategy, m.medianMicros, macsPerSecond / 1e9, ortMacsPerSecond / 1e9, ratio,
                        nativeMacsPerSecond / 1e9, macsPerSecond / nativeMacsPerSecond, m.allocBytes);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", c.layer());
                row.put("mode", c.mode());
                row.put("kernel", strategy.toLowerCase(Locale.ROOT));
                row.put("kernel_is_auto_choice", strategy.equals(auto.name()));
                row.put("shape", c.shape());
                row.put("macs", c.macs());
                row.put("median_us", m.medianMicros);
                row.put("macs_per_s_per_thread", macsPerSecond);
                row.put("ort_median_us", ortResult == null ? Double.NaN : ortResult.medianMicros);
                row.put("ort_float_macs_per_s_per_thread", ortMacsPerSecond);
                row.put("ratio_vs_ort", ratio);
                if (nativeRun == null) {
                    row.put("native", yardstick.isEmpty() ? "gcc not found" : "no C kernel for this layer");
                } else {
                    row.put("native_family", nativeRun.family());
                    row.put("native_median_us", nativeRun.medianMicros());
                    row.put("native_macs_per_s_per_thread", nativeMacsPerSecond);
                    row.put("ratio_vs_native", macsPerSecond / nativeMacsPerSecond);
                }
                row.put("alloc_bytes_per_op", m.allocBytes);
                cases.add(row);
            }
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("machine", Machine.describe());
        report.put("cpu", forked.summary());
        report.put("jvm_args", forkArgs);
        report.put("kernel_auto", auto.name().toLowerCase(Locale.ROOT));
        if (!jvmArgs.isEmpty()) {
            // SteadyStateAllocation runs here, not in the fork: the extra JVM options do not apply to it.
            report.put("alloc_measured_without", jvmArgs);
        }
        report.put("threads", 1);
        Map<String, Object> nativeInfo = new LinkedHashMap<>();
        nativeInfo.put("source", "benchmarks/src/main/resources/io/bitvision/benchmarks/engine/native/bitconv.c");
        if (yardstick.isPresent()) {
            nativeInfo.put("compiler", yardstick.get().compiler());
            nativeInfo.put("flags", yardstick.get().flags());
        } else {
            nativeInfo.put("compiler", "not found: /usr/bin/gcc");
        }
        report.put("native", nativeInfo);
        report.put("cases", cases);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, JsonReports.write(report));
        System.out.println("\nwrote " + out.toAbsolutePath());
    }

    /** HotSpot's UseAVX in the forked JVM: the last -XX:UseAVX=N among its arguments, else this JVM's. */
    static int forkedUseAvx(int own, List<String> jvmArgs) {
        int useAvx = own;
        for (String arg : jvmArgs) {
            if (arg.startsWith("-XX:UseAVX=")) {
                useAvx = Integer.parseInt(arg.substring("-XX:UseAVX=".length()));
            }
        }
        return useAvx;
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private record Measured(double medianMicros, double allocBytes) {}
}
