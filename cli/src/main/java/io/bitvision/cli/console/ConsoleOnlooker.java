package io.bitvision.cli.console;

import io.bitvision.benchmarks.scale.ScaleBench;
import io.bitvision.operators.kafka.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code bench scale --console}: the console on each step's topics, with Debian's headless Chromium showing its
 * camera grid (live: event stream, frame and preview fetches, canvas drawing), as an operator's open browser would.
 * Reports the browser's CPU over the step (it runs on this machine here; an operator's browser would not) and what
 * the console read. The console's own threads are in the bench's CPU report as the "console" group.
 */
public final class ConsoleOnlooker implements ScaleBench.Onlooker {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final long CLOCK_TICKS_PER_S = 100; // USER_HZ on Linux

    private final Path modelsDir;
    private final boolean browser;

    /** @param browser open the console in headless Chromium; false: the console alone (its reader and server) */
    public ConsoleOnlooker(Path modelsDir, boolean browser) {
        this.modelsDir = modelsDir;
        this.browser = browser;
    }

    /** Null when the bench can run it, else what is missing. */
    public static String missing() {
        return Files.isExecutable(CHROMIUM) ? null
                : CHROMIUM + " (Debian's chromium package: the bench opens the console in it)";
    }

    @Override
    public ScaleBench.Watching watch(String bootstrap, Topics topics, String previewTopic) throws Exception {
        Console console = Console.start(new Console.Settings(bootstrap, new Properties(), new ConsoleTopics(topics.masks(),
                topics.health(), topics.faces(), topics.masks() + ".watchlist", previewTopic), "127.0.0.1", 0, null, null,
                null, modelsDir));
        if (!this.browser) {
            return consoleOnly(console);
        }
        Path profile;
        Process browser;
        try {
            profile = Files.createTempDirectory("bitvision-bench-chromium");
            browser = new ProcessBuilder(CHROMIUM.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--remote-debugging-port=0", "--window-size=1400,900",
                "--user-data-dir=" + profile, console.url())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException | RuntimeException e) {
            console.close();
            throw e;
        }
        long startedNs = System.nanoTime();
        long startTicks = cpuTicks(profile);
        return new ScaleBench.Watching() {
            @Override
            public Map<String, Object> report() {
                double seconds = (System.nanoTime() - startedNs) / 1e9;
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("url", console.url());
                r.put("browser_alive", browser.isAlive());
                r.put("browser_pages_connected", console.eventClients());
                r.put("console_records_read", console.recordsRead());
                r.put("browser_cpu_cores", (cpuTicks(profile) - startTicks) / (double) CLOCK_TICKS_PER_S / seconds);
                r.put("watched_s", seconds);
                return r;
            }

            @Override
            public void close() throws Exception {
                try {
                    browser.descendants().forEach(ProcessHandle::destroy);
                    browser.destroy();
                    if (!browser.waitFor(10, TimeUnit.SECONDS)) {
                        browser.destroyForcibly();
                    }
                } finally {
                    console.close();
                    deleteQuietly(profile);
                }
            }
        };
    }

    private static ScaleBench.Watching consoleOnly(Console console) {
        return new ScaleBench.Watching() {
            @Override
            public Map<String, Object> report() {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("url", console.url());
                r.put("browser", false);
                r.put("console_records_read", console.recordsRead());
                return r;
            }

            @Override
            public void close() throws Exception {
                console.close();
            }
        };
    }

    /** User + system CPU ticks of every process started with this profile directory (the browser's whole tree). */
    private static long cpuTicks(Path profile) {
        String marker = "--user-data-dir=" + profile;
        long ticks = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : (Iterable<Path>) procs::iterator) {
                if (!proc.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String cmdline = Files.readString(proc.resolve("cmdline")).replace('\0', ' ');
                    if (!cmdline.contains(marker)) {
                        continue;
                    }
                    String stat = Files.readString(proc.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
                } catch (IOException | RuntimeException e) {
                    // the process ended between listing and reading
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return ticks;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind
        }
    }
}
