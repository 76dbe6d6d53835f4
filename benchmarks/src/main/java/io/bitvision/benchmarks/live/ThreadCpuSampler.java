package io.bitvision.benchmarks.live;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time and run-queue wait per thread of this JVM over a measured interval, from Linux's
 * {@code /proc/self/task/<tid>/schedstat} (on-CPU ns, ns runnable but waiting for a core) and {@code comm} (the
 * thread's name, cut to 15 characters), sampled a few times a second: a thread that ends between two samples loses
 * at most one interval. Unlike ThreadMXBean this sees GC and JIT threads, and the run-queue wait shows how much the
 * two cores are oversubscribed. Threads are grouped by what they do in the job ({@link #group}). Off Linux the
 * result is empty.
 */
public final class ThreadCpuSampler implements AutoCloseable {
    private static final Path TASKS = Path.of("/proc/self/task");

    /** One thread's counters: at its first sample (or zero when it started during the interval) and now. */
    private record Seen(String name, long cpuBase, long waitBase, long cpu, long runWait) {}

    /** Totals of one thread or group of threads over the interval, in seconds. */
    public record Usage(double cpuSeconds, double waitSeconds) {
        Usage plus(Usage other) {
            return new Usage(cpuSeconds + other.cpuSeconds, waitSeconds + other.waitSeconds);
        }
    }

    private final Map<Integer, Seen> seen = new HashMap<>();
    private final long periodMillis;
    private final long startNanos;
    private final long startProcessCpu;
    private final long startGcMillis;
    private final long[] startMachine;
    private final Thread sampler;
    private volatile boolean stopped;
    private long endNanos;
    private long endProcessCpu;
    private long endGcMillis;
    private long[] endMachine;

    private ThreadCpuSampler(long periodMillis) {
        this.periodMillis = periodMillis;
        sample(true);
        this.startNanos = System.nanoTime();
        this.startProcessCpu = processCpuNanos();
        this.startGcMillis = gcMillis();
        this.startMachine = machineTicks();
        this.sampler = new Thread(this::loop, "bench-cpu-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    public static ThreadCpuSampler start(long periodMillis) {
        return new ThreadCpuSampler(periodMillis);
    }

    private void loop() {
        while (!stopped) {
            try {
                Thread.sleep(periodMillis);
            } catch (InterruptedException e) {
                return;
            }
            sample(false);
        }
    }

    private synchronized void sample(boolean baseline) {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                int tid;
                String name;
                long[] counters;
                try {
                    tid = Integer.parseInt(task.getFileName().toString());
                    name = Files.readString(task.resolve("comm")).strip();
                    counters = parseSchedstat(Files.readString(task.resolve("schedstat")));
                } catch (IOException | RuntimeException e) {
                    continue; // the thread ended while we looked
                }
                Seen old = seen.get(tid);
                if (old == null) {
                    seen.put(tid, baseline ? new Seen(name, counters[0], counters[1], counters[0], counters[1])
                            : new Seen(name, 0, 0, counters[0], counters[1]));
                } else {
                    seen.put(tid, new Seen(name, old.cpuBase(), old.waitBase(), counters[0], counters[1]));
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or /proc unreadable: nothing to report.
        }
    }

    /** {@code schedstat}: on-CPU ns, run-queue wait ns, time slices. */
    public static long[] parseSchedstat(String line) {
        String[] fields = line.strip().split("\\s+");
        return new long[] {Long.parseLong(fields[0]), Long.parseLong(fields[1])};
    }

    /** Stops sampling and takes the last sample. */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        sampler.interrupt();
        sample(false);
        endNanos = System.nanoTime();
        endProcessCpu = processCpuNanos();
        endGcMillis = gcMillis();
        endMachine = machineTicks();
    }

    public double wallSeconds() {
        return ((stopped ? endNanos : System.nanoTime()) - startNanos) / 1e9;
    }

    /**
     * Usage per thread group, most CPU first, plus "threads that ended unseen" (the process's CPU time less
     * the threads') and "total" (the process's CPU time; its wait is the sum over the threads seen).
     */
    public synchronized Map<String, Usage> byGroup() {
        Map<String, Usage> groups = new HashMap<>();
        Usage sum = new Usage(0, 0);
        for (Seen s : seen.values()) {
            Usage u = usage(s);
            groups.merge(group(s.name()), u, Usage::plus);
            sum = sum.plus(u);
        }
        Map<String, Usage> sorted = new LinkedHashMap<>();
        groups.entrySet().stream()
                .sorted((a, b) -> Double.compare(b.getValue().cpuSeconds(), a.getValue().cpuSeconds()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        double total = (endProcessCpu - startProcessCpu) / 1e9;
        if (total > 0 && !seen.isEmpty()) {
            sorted.put("threads that ended unseen", new Usage(Math.max(0, total - sum.cpuSeconds()), 0));
            sorted.put("total", new Usage(total, sum.waitSeconds()));
        }
        return sorted;
    }

    /** The busiest threads by name, at most {@code limit}. */
    public synchronized Map<String, Usage> topThreads(int limit) {
        Map<String, Usage> byName = new HashMap<>();
        for (Seen s : seen.values()) {
            byName.merge(s.name(), usage(s), Usage::plus);
        }
        List<Map.Entry<String, Usage>> top = new ArrayList<>(byName.entrySet());
        top.sort((a, b) -> Double.compare(b.getValue().cpuSeconds(), a.getValue().cpuSeconds()));
        Map<String, Usage> out = new LinkedHashMap<>();
        top.stream().limit(limit).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /**
     * Cores the other processes on this machine kept busy on average (machine busy time from {@code /proc/stat}
     * less this JVM's CPU time): other work that competed for the cores. NaN when unknown.
     */
    public double otherProcessesCores() {
        if (startMachine == null || endMachine == null || endMachine[1] <= startMachine[1]) {
            return Double.NaN;
        }
        double busyShare = (double) (endMachine[0] - startMachine[0]) / (endMachine[1] - startMachine[1]);
        double machineBusyCores = busyShare * Runtime.getRuntime().availableProcessors();
        double ours = (endProcessCpu - startProcessCpu) / 1e9 / ((endNanos - startNanos) / 1e9);
        return Math.max(0, machineBusyCores - ours);
    }

    /** {@code /proc/stat}'s first line: {busy ticks, all ticks} over all cores, or null. */
    public static long[] machineTicks() {
        try {
            return parseProcStat(Files.readAllLines(Path.of("/proc/stat")).get(0));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** {@code cpu user nice system idle iowait irq softirq steal ...}: busy is all but idle and iowait. */
    public static long[] parseProcStat(String cpuLine) {
        String[] f = cpuLine.strip().split("\\s+");
        long all = 0;
        for (int i = 1; i < Math.min(f.length, 9); i++) {
            all += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        return new long[] {all - idle, all};
    }

    public double gcPauseSeconds() {
        return (endGcMillis - startGcMillis) / 1e3;
    }

    private static Usage usage(Seen s) {
        return new Usage((s.cpu() - s.cpuBase()) / 1e9, (s.runWait() - s.waitBase()) / 1e9);
    }

    /** What a thread does, from its name (the OS keeps 15 characters; Flink names task threads after their chain). */
    public static String group(String name) {
        if (name.startsWith("bitvision-camer")) {
            return "decode (FFmpeg, RGB copy, hand-off)";
        }
        if (name.startsWith("Source: cameras")) {
            return "flink source task (keyBy serialization)";
        }
        if (name.startsWith("inference")) {
            return "flink inference task (+ kafka writer, committer)";
        }
        if (name.startsWith("kafka-producer")) {
            return "kafka producer i/o";
        }
        if (name.startsWith("console-") || name.startsWith("JettyServerThre") || name.startsWith("qtp")
                || name.startsWith("Javalin")) {
            return "console";
        }
        if (name.startsWith("bench-")) {
            return "benchmark (commit watcher, sampler)";
        }
        if (name.startsWith("GC Thread") || name.startsWith("VM Thread") || name.startsWith("PS ")) {
            return "jvm gc";
        }
        if (name.contains("CompilerThre") || name.startsWith("C1 ") || name.startsWith("C2 ")) {
            return "jvm jit";
        }
        if (name.startsWith("data-plane-kaf") || name.startsWith("kafka-") || name.startsWith("executor-")
                || name.startsWith("broker-") || name.startsWith("controller-") || name.startsWith("raft")
                || name.startsWith("ExpirationReap") || name.startsWith("quorum") || name.startsWith("transaction-")
                || name.startsWith("group-coordina") || name.startsWith("share-") || name.startsWith("metadata-")
                || name.startsWith("LogDirFailure") || name.startsWith("ReplicaFetcher") || name.startsWith("log-cleaner")
                || name.contains("-kafka-")) {
            return "kafka broker (in-process)";
        }
        if (name.startsWith("main") || name.equals("java")) {
            return "main (job submission, MiniCluster start)";
        }
        if (name.startsWith("flink-") || name.startsWith("Flink") || name.startsWith("pekko") || name.contains("Checkpoint")
                || name.startsWith("jobmanager") || name.startsWith("mini-cluster") || name.startsWith("Source Data")
                || name.startsWith("SourceCoordina") || name.startsWith("OutputFlusher") || name.contains("cluster-io")
                || name.startsWith("AsyncOperation") || name.startsWith("Legacy Source")) {
            return "flink runtime (jobmanager, rpc, checkpoints)";
        }
        return "other";
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }
}
