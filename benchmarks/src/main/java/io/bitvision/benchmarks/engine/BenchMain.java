package io.bitvision.benchmarks.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !args[0].equals("engine")) {
            System.err.println("usage: bitvision bench engine [--quick] [--out bench-results/engine.json]");
            System.exit(2);
        }
        boolean quick = false;
        Path out = Path.of("bench-results/engine.json");
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--out" -> out = Path.of(args[++i]);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        List<String> caseNames = new ArrayList<>();
        for (BenchCase c : BenchCase.values()) {
            caseNames.add(c.name());
        }
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(EngineLayerBenchmark.class.getSimpleName())
                .include(OrtLayerBenchmark.class.getSimpleName())
                .param("benchCase", caseNames.toArray(String[]::new))
                .param("strategy", "VECTOR", "SCALAR")
                .forks(1)
                .threads(1)
                .jvmArgsAppend("--add-modules", "jdk.incubator.vector", "-Xmx2g")
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

        StringBuilder json = new StringBuilder();
        json.append("{\n  \"machine\": ").append(quote(machine())).append(",\n  \"threads\": 1,\n  \"cases\": [\n");
        boolean first = true;
        System.out.printf(Locale.ROOT, "%n%-24s %-7s %-7s %12s %14s %14s %8s %10s%n", "layer", "mode", "kernel",
                "median us", "G MAC/s", "ORT G MAC/s", "ratio", "alloc B/op");
        for (BenchCase c : BenchCase.values()) {
            Measured ortResult = ort.get(c.name());
            for (String strategy : List.of("VECTOR", "SCALAR")) {
                Measured timed = engine.get(c.name() + "/" + strategy);
                if (timed == null) {
                    continue;
                }
                Measured m = new Measured(timed.medianMicros, SteadyStateAllocation.bytesPerRun(c,
                        io.bitvision.engine.kernel.KernelStrategy.valueOf(strategy), quick ? 2_000_000_000L : 5_000_000_000L, 100));
                double macsPerSecond = c.macs() / (m.medianMicros * 1e-6);
                double ortMacsPerSecond = ortResult == null ? Double.NaN : c.macs() / (ortResult.medianMicros * 1e-6);
                double ratio = macsPerSecond / ortMacsPerSecond;
                System.out.printf(Locale.ROOT, "%-24s %-7s %-7s %12.1f %14.1f %14.1f %8.2f %10.1f%n", c.layer(), c.mode(),
                        strategy, m.medianMicros, macsPerSecond / 1e9, ortMacsPerSecond / 1e9, ratio, m.allocBytes);
                json.append(first ? "" : ",\n");
                first = false;
                json.append("    {\"name\": ").append(quote(c.layer()))
                        .append(", \"mode\": ").append(quote(c.mode()))
                        .append(", \"kernel\": ").append(quote(strategy.toLowerCase(Locale.ROOT)))
                        .append(", \"shape\": ").append(quote(c.shape()))
                        .append(", \"macs\": ").append(c.macs())
                        .append(", \"median_us\": ").append(number(m.medianMicros))
                        .append(", \"macs_per_s_per_thread\": ").append(number(macsPerSecond))
                        .append(", \"ort_median_us\": ").append(number(ortResult == null ? Double.NaN : ortResult.medianMicros))
                        .append(", \"ort_float_macs_per_s_per_thread\": ").append(number(ortMacsPerSecond))
                        .append(", \"ratio_vs_ort\": ").append(number(ratio))
                        .append(", \"alloc_bytes_per_op\": ").append(number(m.allocBytes))
                        .append("}");
            }
        }
        json.append("\n  ]\n}\n");
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, json);
        System.out.println("\nwrote " + out.toAbsolutePath());
    }

    private record Measured(double medianMicros, double allocBytes) {}

    private static String machine() {
        String cpu = "unknown cpu";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException ignored) {
            // not Linux: keep the generic name
        }
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "null";
    }
}
