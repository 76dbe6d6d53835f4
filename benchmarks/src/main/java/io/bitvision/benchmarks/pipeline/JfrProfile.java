package io.bitvision.benchmarks.pipeline;

import io.bitvision.benchmarks.live.ThreadCpuSampler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Optional method profile of an end-to-end run ({@code --jfr FILE}): Java Flight Recorder execution samples
 * (every 10 ms per running Java thread), summarised per thread group ({@link ThreadCpuSampler#group}) as the
 * hottest methods by self time and the share of samples inside each pipeline step (inclusive).
 */
final class JfrProfile implements AutoCloseable {
    /** Steps found by a method on the stack: label -> "class-name-suffix#method" (any method when no '#'). */
    static final Map<String, String> STEPS = stepMarkers();

    private final Recording recording;
    private final Path file;

    private JfrProfile(Path file) {
        this.file = file;
        this.recording = new Recording();
        recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
        recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(20));
        recording.enable("jdk.Compilation").withThreshold(Duration.ofMillis(1));
        recording.enable("jdk.Deoptimization");
        recording.start();
    }

    static JfrProfile start(Path file) {
        return new JfrProfile(file);
    }

    private static Map<String, String> stepMarkers() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("analyze (engine + instances + tracker)", "inference.FrameAnalyzer#analyze");
        m.put("  engine run", "engine.InferenceEngine#run");
        m.put("  image pack", "engine.InferenceEngine#packImage");
        m.put("  instances", "ComponentInstances#extract");
        m.put("  tracker update", "IouTracker#update");
        m.put("tracker state (snapshot/restore)", "engine.track.TrackerSnapshot");
        m.put("avro mapping + RLE + encode", "inference.AvroMapping#masks");
        m.put("avro encode", "schemas.AvroRecords#encode");
        m.put("keyBy record deserialize", "PojoSerializer#deserialize");
        m.put("keyBy record serialize", "PojoSerializer#serialize");
        m.put("network record reader", "SpillingAdaptiveSpanningRecordDeserializer");
        m.put("network record writer", "RecordWriter#emit");
        m.put("chained record copy", "PojoSerializer#copy");
        m.put("kafka writer (producer send)", "KafkaWriter#write");
        m.put("kafka producer commit/flush", "FlinkKafkaInternalProducer");
        m.put("decoder grabFrame", "FFmpegFrameGrabber#grabFrame");
        m.put("rgb copy", "RgbFrames#copy");
        m.put("hand-off wait", "FrameHandoff");
        return m;
    }

    /** Stops the recording, writes it to the file, and summarises it. */
    Map<String, Object> stopAndSummarize() throws IOException {
        recording.stop();
        recording.dump(file);
        recording.close();
        Map<String, int[]> samples = new HashMap<>();
        Map<String, Map<String, Integer>> selfByGroup = new HashMap<>();
        Map<String, Map<String, Integer>> stepsByGroup = new HashMap<>();
        Map<String, Integer> nativeByGroup = new HashMap<>();
        Map<String, Double> compileMsByPackage = new HashMap<>();
        double compileMs = 0;
        int compilations = 0;
        int deoptimizations = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            String type = event.getEventType().getName();
            if (type.equals("jdk.Compilation")) {
                double ms = event.getDuration().toNanos() / 1e6;
                compileMs += ms;
                compilations++;
                compileMsByPackage.merge(packageOf(event.getValue("method")), ms, Double::sum);
                continue;
            }
            if (type.equals("jdk.Deoptimization")) {
                deoptimizations++;
                continue;
            }
            boolean execution = type.equals("jdk.ExecutionSample");
            if (!execution && !type.equals("jdk.NativeMethodSample")) {
                continue;
            }
            var thread = event.getThread("sampledThread");
            String group = ThreadCpuSampler.group(thread == null || thread.getJavaName() == null ? "?" : thread.getJavaName());
            if (!execution) {
                nativeByGroup.merge(group, 1, Integer::sum);
                continue;
            }
            samples.computeIfAbsent(group, g -> new int[1])[0]++;
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            List<RecordedFrame> frames = stack.getFrames();
            selfByGroup.computeIfAbsent(group, g -> new HashMap<>()).merge(name(frames.get(0)), 1, Integer::sum);
            Set<String> hit = new HashSet<>();
            for (RecordedFrame frame : frames) {
                String name = name(frame);
                for (Map.Entry<String, String> step : STEPS.entrySet()) {
                    if (matches(name, step.getValue())) {
                        hit.add(step.getKey());
                    }
                }
            }
            Map<String, Integer> steps = stepsByGroup.computeIfAbsent(group, g -> new HashMap<>());
            hit.forEach(h -> steps.merge(h, 1, Integer::sum));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", file.toString());
        Map<String, Object> jit = new LinkedHashMap<>();
        jit.put("compilations_over_1ms", compilations);
        jit.put("compile_ms", compileMs);
        jit.put("deoptimizations", deoptimizations);
        Map<String, Object> byPackage = new LinkedHashMap<>();
        compileMsByPackage.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(8)
                .forEach(e -> byPackage.put(e.getKey(), e.getValue()));
        jit.put("compile_ms_by_package", byPackage);
        out.put("jit", jit);
        List<Map.Entry<String, int[]>> groups = new ArrayList<>(samples.entrySet());
        groups.sort((a, b) -> Integer.compare(b.getValue()[0], a.getValue()[0]));
        for (Map.Entry<String, int[]> g : groups) {
            int total = g.getValue()[0];
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("java_samples", total);
            summary.put("native_samples", nativeByGroup.getOrDefault(g.getKey(), 0));
            Map<String, Object> steps = new LinkedHashMap<>();
            Map<String, Integer> counted = stepsByGroup.getOrDefault(g.getKey(), Map.of());
            for (String step : STEPS.keySet()) {
                Integer n = counted.get(step);
                if (n != null) {
                    steps.put(step.strip(), percent(n, total));
                }
            }
            summary.put("steps_pct_inclusive", steps);
            Map<String, Object> hottest = new LinkedHashMap<>();
            selfByGroup.getOrDefault(g.getKey(), Map.of()).entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .limit(10)
                    .forEach(e -> hottest.put(e.getKey(), percent(e.getValue(), total)));
            summary.put("self_pct_top", hottest);
            out.put(g.getKey(), summary);
        }
        return out;
    }

    @Override
    public void close() {
        recording.close();
    }

    static boolean matches(String method, String marker) {
        int hash = marker.indexOf('#');
        if (hash < 0) {
            return method.contains(marker);
        }
        String type = marker.substring(0, hash);
        String name = marker.substring(hash + 1);
        int dot = method.lastIndexOf('.');
        return dot > 0 && method.substring(0, dot).endsWith(type) && method.substring(dot + 1).equals(name);
    }

    /** The first three parts of a compiled method's package, e.g. {@code org.apache.kafka}. */
    private static String packageOf(Object method) {
        if (!(method instanceof jdk.jfr.consumer.RecordedMethod m) || m.getType() == null) {
            return "?";
        }
        String[] parts = m.getType().getName().split("\\.");
        return String.join(".", java.util.Arrays.copyOf(parts, Math.min(3, Math.max(1, parts.length - 1))));
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static double percent(int n, int total) {
        return Math.round(1000.0 * n / total) / 10.0;
    }
}
