package io.bitvision.cli.bench;

import picocli.CommandLine.Command;

/** {@code bench}: every benchmark; each writes its JSON under bench-results/. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks; each writes its figures as JSON under bench-results/ with the machine they ran on.",
        subcommands = {EngineBenchCommand.class, PipelineBenchCommand.class, ScaleBenchCommand.class,
                FaultBenchCommand.class, FaceBenchCommand.class})
public final class BenchCommand {}
