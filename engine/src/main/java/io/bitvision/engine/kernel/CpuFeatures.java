package io.bitvision.engine.kernel;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the CPU under this JVM offers the kernels: the flags Linux reports in /proc/cpuinfo, narrowed by the
 * instruction sets HotSpot is allowed to use ({@code -XX:UseAVX}), which is what the JIT actually emits.
 */
public record CpuFeatures(String model, Set<String> flags, int useAvx) {

    private static final CpuFeatures CURRENT = read();

    public static CpuFeatures current() {
        return CURRENT;
    }

    /**
     * Whether {@code LongVector} BIT_COUNT can be one instruction: AVX-512 VPOPCNTDQ with HotSpot at {@code UseAVX=3}.
     * Without it the JIT emulates the popcount (about 3x slower per thread in docs/performance.md).
     */
    public boolean vectorPopcount() {
        return flags.contains("avx512_vpopcntdq") && useAvx >= 3;
    }

    /** One line for logs and reports: model, the flags that choose a kernel, and HotSpot's UseAVX. */
    public String summary() {
        Set<String> relevant = new TreeSet<>();
        for (String f : flags) {
            if (f.startsWith("avx") || f.equals("popcnt") || f.startsWith("sse4")) {
                relevant.add(f);
            }
        }
        return model + " [" + String.join(" ", relevant) + "], UseAVX=" + useAvx;
    }

    static CpuFeatures read() {
        String model = "unknown CPU";
        Set<String> flags = new TreeSet<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String key = line.substring(0, colon).strip();
                if (key.equals("model name") && model.equals("unknown CPU")) {
                    model = line.substring(colon + 1).strip();
                } else if (key.equals("flags") && flags.isEmpty()) {
                    flags.addAll(Arrays.asList(line.substring(colon + 1).strip().split("\\s+")));
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: no flags, so no family that needs one is chosen.
        }
        return new CpuFeatures(model, Set.copyOf(flags), useAvx(flags));
    }

    /** HotSpot's UseAVX (0-3), or what the flags allow where the VM has no such option (not x86, not HotSpot). */
    private static int useAvx(Set<String> flags) {
        try {
            HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return Integer.parseInt(hotSpot.getVMOption("UseAVX").getValue());
        } catch (RuntimeException | LinkageError e) {
            return flags.contains("avx512f") ? 3 : flags.contains("avx2") ? 2 : flags.contains("avx") ? 1 : 0;
        }
    }
}
