package io.bitvision.cli.bench;

import io.bitvision.cli.MissingModelException;
import io.bitvision.cli.PersonModelOptions;
import io.bitvision.testkit.clips.SampleVideo;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What the live benches run on: a video (default: the sample video) and the person model. */
public final class BenchInputs {
    @Option(names = "--video", paramLabel = "FILE", description = "Default: the sample video (vtest.avi).")
    Path video;

    @Mixin
    PersonModelOptions person = new PersonModelOptions();

    /** {@code --video}, or the sample video (copied into .bitvision/samples on first use). */
    Path video() throws IOException {
        return video != null ? video : SampleVideo.vtest(Path.of(".bitvision/samples"));
    }

    /** Where the shipped models are (--models-dir). */
    Path modelsDir() {
        return person.modelsDir();
    }

    /** The person model file, or null for the stand-in (only with --stand-in-model). */
    Path model() throws MissingModelException {
        return person.fileOrStandIn();
    }
}
