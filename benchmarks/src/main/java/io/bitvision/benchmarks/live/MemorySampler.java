package io.bitvision.benchmarks.live;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * This JVM's memory as the OS and the JVM see it, in MiB: resident set ({@code /proc/self/status}: VmRSS, RssAnon,
 * RssFile), the heap (used, committed), non-heap (metaspace, code cache), NIO direct buffers, the native bytes
 * JavaCPP accounts for (its own allocations for JavaCV; FFmpeg's internal mallocs are not among them and show in the
 * RSS only), and, when the JVM runs with {@code -XX:NativeMemoryTracking=summary},
 * Native Memory Tracking's committed total (read in-process through the DiagnosticCommand MBean, as
 * {@code jcmd PID VM.native_memory summary} would). Values that cannot be read are NaN.
 */
public final class MemorySampler {
    private static final double MIB = 1024.0 * 1024.0;
    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");
    private static final Pattern NMT_HEAP = Pattern.compile("Java Heap \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");

    /** One sample; times in seconds since the run started, memory in MiB. */
    public record Sample(double t, double rss, double rssAnon, double rssFile, double heapUsed, double heapCommitted,
                  double heapAfterGc, double nonHeapUsed, double direct, double javacpp, double nmtCommitted,
                  double nmtHeapCommitted, int threads, long youngGcs, long fullGcs, double gcSeconds,
                  double cpuSeconds, long records, long framesDropped, double fps, double latencyP50,
                  double latencyP95) {}

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final boolean nmt;

    public MemorySampler() {
        this.nmt = Double.isFinite(nmtCommitted(nativeMemorySummary())[0]);
    }

    public boolean nativeMemoryTracking() {
        return nmt;
    }

    /** Everything but the run's own counters (records, rates, latency), which the caller fills in. */
    public Sample sample(double t, boolean fullGcFirst, long records, long framesDropped, double fps, double latencyP50,
                  double latencyP95) {
        long[] status = procStatus();
        double heapUsed = memory.getHeapMemoryUsage().getUsed() / MIB;
        double heapCommitted = memory.getHeapMemoryUsage().getCommitted() / MIB;
        double heapAfterGc = Double.NaN;
        if (fullGcFirst) {
            System.gc(); // a full collection with ParallelGC: what is left is what the job holds on to
            heapAfterGc = memory.getHeapMemoryUsage().getUsed() / MIB;
        }
        double[] nmtNow = nmt ? nmtCommitted(nativeMemorySummary()) : new double[] {Double.NaN, Double.NaN};
        long young = 0;
        long full = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            boolean old = gc.getName().contains("MarkSweep") || gc.getName().contains("Old")
                    || gc.getName().contains("Full");
            if (old) {
                full += Math.max(0, gc.getCollectionCount());
            } else {
                young += Math.max(0, gc.getCollectionCount());
            }
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        return new Sample(t, status[0] / 1024.0, status[1] / 1024.0, status[2] / 1024.0, heapUsed, heapCommitted,
                heapAfterGc, memory.getNonHeapMemoryUsage().getUsed() / MIB, directBuffers(), javacppBytes() / MIB,
                nmtNow[0], nmtNow[1], ManagementFactory.getThreadMXBean().getThreadCount(), young, full,
                gcMillis / 1e3, processCpuSeconds(), records, framesDropped, fps, latencyP50, latencyP95);
    }

    /** VmRSS, RssAnon, RssFile in KiB (NaN-free: -1 when unknown). */
    public static long[] procStatus() {
        try {
            return parseStatus(Files.readString(Path.of("/proc/self/status")));
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1, -1};
        }
    }

    public static long[] parseStatus(String status) {
        long[] kib = {-1, -1, -1};
        for (String line : status.split("\n")) {
            int slot = line.startsWith("VmRSS:") ? 0 : line.startsWith("RssAnon:") ? 1 : line.startsWith("RssFile:") ? 2 : -1;
            if (slot >= 0) {
                kib[slot] = Long.parseLong(line.substring(line.indexOf(':') + 1).replace("kB", "").strip());
            }
        }
        return kib;
    }

    public static String nativeMemorySummary() {
        try {
            return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                    new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
        } catch (Exception e) {
            return "";
        }
    }

    /** NMT's committed total and committed Java heap in MiB from a summary; NaN when tracking is off. */
    public static double[] nmtCommitted(String summary) {
        Matcher total = NMT_TOTAL.matcher(summary);
        Matcher heap = NMT_HEAP.matcher(summary);
        return new double[] {
                total.find() ? Long.parseLong(total.group(2)) / 1024.0 : Double.NaN,
                heap.find() ? Long.parseLong(heap.group(2)) / 1024.0 : Double.NaN};
    }

    private static double directBuffers() {
        double used = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                used += pool.getMemoryUsed();
            }
        }
        return used / MIB;
    }

    private static double javacppBytes() {
        try {
            return org.bytedeco.javacpp.Pointer.totalBytes();
        } catch (Throwable e) {
            return Double.NaN;
        }
    }

    private static double processCpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }
}
