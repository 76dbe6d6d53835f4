package io.bitvision.benchmarks.live;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Collectors;

/** The machine line every bench report carries: CPU model, cores, Java, GC and heap. */
public final class Machine {
    private Machine() {
    }

    public static String describe() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse(cpu);
        } catch (java.io.IOException | RuntimeException e) {
            // Not Linux: keep the generic name.
        }
        String gc = ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                .collect(Collectors.joining("/"));
        return String.format(Locale.ROOT, "%s, %d cores, Java %s, GC %s, max heap %d MiB", cpu,
                Runtime.getRuntime().availableProcessors(), Runtime.version(), gc,
                Runtime.getRuntime().maxMemory() >> 20);
    }
}
