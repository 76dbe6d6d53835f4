package io.bitvision.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What every {@code ./bitvision} command shares: where it prints (set by {@link BitvisionCli}, so tests can read it)
 * and how it reports a bad combination of options (a usage error, exit status 2, with the command's usage).
 */
public abstract class CliCommand implements Callable<Integer> {
    @Spec
    protected CommandSpec spec;
    protected PrintStream out = System.out;
    protected PrintStream err = System.err;

    final void streams(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** A usage error for what the option annotations cannot say (ranges, options that go together). */
    protected final ParameterException usageError(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    protected final int atLeast(String option, int value, int min) {
        if (value < min) {
            throw usageError(option + " must be at least " + min + ", was " + value);
        }
        return value;
    }

    protected final long atLeast(String option, long value, long min) {
        if (value < min) {
            throw usageError(option + " must be at least " + min + ", was " + value);
        }
        return value;
    }

    protected final double fraction(String option, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw usageError(option + " must be in [0, 1], was " + value);
        }
        return value;
    }

    protected final double positive(String option, double value) {
        if (!(value > 0)) {
            throw usageError(option + " must be positive, was " + value);
        }
        return value;
    }
}
