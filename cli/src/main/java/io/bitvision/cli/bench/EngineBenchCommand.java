package io.bitvision.cli.bench;

import io.bitvision.benchmarks.engine.BenchMain;
import io.bitvision.cli.CliCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench engine}: the engine's layers against ONNX Runtime float under JMH. */
@Command(name = "engine", mixinStandardHelpOptions = true,
        description = "JMH benchmarks of the engine kernels against ONNX Runtime float in the same run.")
public final class EngineBenchCommand extends CliCommand {
    @Option(names = "--quick", description = "Fewer iterations.")
    boolean quick;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "bench-results/engine.json")
    Path report;

    @Option(names = "--jvm-arg", paramLabel = "ARG", description = "An option for the JVM that runs the benchmarks "
            + "(repeatable), e.g. -XX:UseAVX=2 to measure what a CPU without AVX-512 runs.")
    List<String> jvmArgs = new ArrayList<>();

    @Option(names = "--native-march", paramLabel = "MARCH", defaultValue = "native", description = "gcc -march for the "
            + "native yardstick (default: ${DEFAULT-VALUE}); x86-64-v3 beside --jvm-arg=-XX:UseAVX=2 measures AVX2.")
    String nativeMarch;

    @Override
    public Integer call() throws Exception {
        BenchMain.run(quick, report, jvmArgs, nativeMarch);
        return 0;
    }
}
