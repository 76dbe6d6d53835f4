package io.bitvision.benchmarks.live;

import io.bitvision.testkit.clips.SampleVideo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * What the bench commands ({@code bench pipeline}, {@code bench scale}, {@code bench faults}, {@code soak}) share in
 * reading their arguments: "--name value" options, the defaults of {@code --video} and {@code --model}, and how bad
 * options are reported.
 */
final class BenchArgs {
    /** The trained person model: the default {@code --model} when the file exists. */
    static final Path DEFAULT_MODEL = Path.of("models", "person-v1.bvm");

    private BenchArgs() {}

    /** One option as given; {@code value} is null for a flag. */
    record Option(String name, String value) {
        Path path() {
            return Path.of(value);
        }

        int atLeast(int min) {
            int n = Integer.parseInt(value);
            if (n < min) {
                throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
            }
            return n;
        }

        double fraction() {
            double d = Double.parseDouble(value);
            if (!(d >= 0 && d <= 1)) {
                throw new IllegalArgumentException(name + " must be in [0, 1], was " + value);
            }
            return d;
        }
    }

    /**
     * The options of {@code args} in order, each with the argument after it as its value, except the {@code flags},
     * which take none. An option with nothing after it fails ("--x needs a value") only when the loop reaches it, so
     * a bad value before it is the error reported.
     */
    static Iterable<Option> options(String[] args, String... flags) {
        Set<String> valueless = Set.of(flags);
        return () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < args.length;
            }

            @Override
            public Option next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                String name = args[next++];
                if (valueless.contains(name)) {
                    return new Option(name, null);
                }
                if (next >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                return new Option(name, args[next++]);
            }
        };
    }

    /** The given video, or else the sample video (copied into .bitvision/samples on first use). */
    static Path videoOrSample(Path video) throws IOException {
        return video != null ? video : SampleVideo.vtest(Path.of(".bitvision/samples"));
    }

    /** The given model, or else {@link #DEFAULT_MODEL} if it exists, or else null (the stand-in model). */
    static Path modelOrDefault(Path model) {
        if (model == null && Files.isRegularFile(DEFAULT_MODEL)) {
            return DEFAULT_MODEL;
        }
        return model;
    }

    /** Prints the error and the usage line on stderr; returns the exit status for bad options, 2. */
    static int usageError(String command, IllegalArgumentException e, String usage) {
        System.err.println(command + ": " + e.getMessage());
        System.err.println("usage: " + usage);
        return 2;
    }
}
