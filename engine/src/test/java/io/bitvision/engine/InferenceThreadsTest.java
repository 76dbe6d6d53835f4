package io.bitvision.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitvision.engine.kernel.KernelStrategy;
import io.bitvision.engine.kernel.Kernels;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelReader;
import io.bitvision.engine.reference.RefTensor;
import io.bitvision.engine.tensor.TensorSpec;
import io.bitvision.engine.testing.Checks;
import io.bitvision.engine.testing.RandomGraphs;
import io.bitvision.engine.testing.Randoms;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Row bands across threads give the one-thread outputs bit for bit, frame after frame, with every kernel family. */
class InferenceThreadsTest {

    @ParameterizedTest
    @ValueSource(strings = {"person-v1.bvm", "face-detector-v2.bvm", "face-embedder-v1.bvm"})
    void shippedModelsGiveTheSameOutputsOnEveryThreadCount(String file) throws Exception {
        Model model = ModelReader.read(Path.of("..", "models", file));
        TensorSpec input = model.graph().input();
        byte[] pixels = new byte[input.channels() * input.height() * input.width()];
        for (KernelStrategy strategy : Kernels.runnable()) {
            InferenceEngine single = InferenceEngine.builder(model).kernels(strategy).build();
            for (int threads : new int[] {2, 3}) {
                try (InferenceEngine banded = InferenceEngine.builder(model).kernels(strategy).threads(threads).build()) {
                    assertThat(banded.threads()).isEqualTo(threads);
                    for (int image = 0; image < 3; image++) {
                        new SplittableRandom(31L * image + threads).nextBytes(pixels);
                        single.packImage(pixels);
                        banded.packImage(pixels);
                        single.run();
                        banded.run();
                        for (int k = 0; k < model.graph().outputs().length; k++) {
                            RefTensor actual = RefTensor.of(banded.output(k));
                            RefTensor expected = RefTensor.of(single.output(k));
                            assertThat(actual.sameAs(expected))
                                    .as("%s %s %d threads image %d output %s: %s", file, strategy, threads, image,
                                            model.graph().outputNames().get(k), actual.firstDifference(expected))
                                    .isTrue();
                        }
                    }
                }
            }
        }
    }

    @Test
    void randomGraphsGiveTheSameOutputsWithBandsOfEverySize() {
        SplittableRandom seeds = new SplittableRandom(23);
        for (int i = 0; i < 120; i++) {
            long seed = seeds.nextLong();
            Model model = RandomGraphs.random(new SplittableRandom(seed), 2 + (int) (seed & 7));
            int threads = 2 + i % 4;
            for (KernelStrategy strategy : Kernels.runnable()) {
                InferenceEngine single = InferenceEngine.builder(model).kernels(strategy).build();
                try (InferenceEngine banded = InferenceEngine.builder(model).kernels(strategy).threads(threads).build()) {
                    for (int run = 0; run < 2; run++) {
                        fill(model, single, seed + run);
                        fill(model, banded, seed + run);
                        single.run();
                        banded.run();
                        for (int k = 0; k < model.graph().outputs().length; k++) {
                            RefTensor actual = RefTensor.of(banded.output(k));
                            RefTensor expected = RefTensor.of(single.output(k));
                            assertThat(actual.sameAs(expected))
                                    .as("graph seed %d, %s, %d threads, run %d, output %d: %s", seed, strategy, threads,
                                            run, k, actual.firstDifference(expected))
                                    .isTrue();
                            assertThat(Checks.dirtyPadding(banded.output(k))).isNull();
                        }
                    }
                }
            }
        }
    }

    @Test
    void aClosedEngineRefusesToRunAndItsThreadsEnd() throws Exception {
        Model model = ModelReader.read(Path.of("..", "models", "face-detector-v2.bvm"));
        InferenceEngine engine = InferenceEngine.builder(model).threads(2).build();
        engine.run();
        assertThat(bandThreads(model)).isEqualTo(1);
        engine.close();
        assertThatThrownBy(engine::run).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        for (int wait = 0; wait < 100 && bandThreads(model) > 0; wait++) {
            Thread.sleep(10);
        }
        assertThat(bandThreads(model)).isZero();
    }

    @Test
    void anImageOfTheWrongSizeIsRefusedOnTheCallersThreadAndTheEngineGoesOn() throws Exception {
        Model model = ModelReader.read(Path.of("..", "models", "person-v1.bvm"));
        TensorSpec input = model.graph().input();
        byte[] pixels = new byte[input.channels() * input.height() * input.width()];
        try (InferenceEngine engine = InferenceEngine.builder(model).threads(2).build()) {
            assertThatThrownBy(() -> engine.packImage(new byte[pixels.length - 1]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs " + pixels.length);
            engine.packImage(pixels);
            engine.run();
        }
    }

    @Test
    void threadCountsOutsideTheRangeAreRefused() throws Exception {
        Model model = ModelReader.read(Path.of("..", "models", "face-detector-v2.bvm"));
        assertThatThrownBy(() -> InferenceEngine.builder(model).threads(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inference threads");
        assertThatThrownBy(() -> InferenceEngine.builder(model).threads(InferenceEngine.MAX_THREADS + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static long bandThreads(Model model) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("bitvision-" + model.name() + "-band-") && t.isAlive())
                .count();
    }

    private static void fill(Model model, InferenceEngine engine, long seed) {
        if (model.imageStem() != null) {
            TensorSpec image = model.graph().input();
            byte[] pixels = new byte[image.channels() * image.height() * image.width()];
            new SplittableRandom(seed).nextBytes(pixels);
            engine.packImage(pixels);
        } else {
            Randoms.fill(new SplittableRandom(seed), engine.input());
        }
    }
}
