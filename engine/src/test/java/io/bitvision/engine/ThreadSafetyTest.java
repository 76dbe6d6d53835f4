package io.bitvision.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitvision.engine.model.Model;
import io.bitvision.engine.reference.RefTensor;
import io.bitvision.engine.testing.RandomGraphs;
import io.bitvision.engine.testing.Randoms;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One model shared by engines on several threads: each thread's results equal a single-threaded run. */
class ThreadSafetyTest {

    @Test
    void sharedModelGivesEachThreadItsOwnResults() throws Exception {
        Model model = null;
        SplittableRandom rnd = new SplittableRandom(11);
        while (model == null || model.graph().nodes().size() < 8) {
            model = RandomGraphs.random(new SplittableRandom(rnd.nextLong()), 12);
        }
        Model shared = model;
        int threads = 4;
        int runs = 200;
        List<List<RefTensor>> expected = new ArrayList<>();
        InferenceEngine single = InferenceEngine.builder(shared).build();
        for (int t = 0; t < threads; t++) {
            List<RefTensor> perRun = new ArrayList<>();
            for (int r = 0; r < 5; r++) {
                Randoms.fill(new SplittableRandom(t * 1000L + r), single.input());
                single.run();
                perRun.add(RefTensor.of(single.output(0)));
            }
            expected.add(perRun);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CyclicBarrier start = new CyclicBarrier(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    InferenceEngine engine = InferenceEngine.builder(shared).build();
                    start.await();
                    int mismatches = 0;
                    for (int i = 0; i < runs; i++) {
                        int r = i % 5;
                        Randoms.fill(new SplittableRandom(thread * 1000L + r), engine.input());
                        engine.run();
                        if (!RefTensor.of(engine.output(0)).sameAs(expected.get(thread).get(r))) {
                            mismatches++;
                        }
                    }
                    return mismatches;
                }));
            }
            for (Future<Integer> f : results) {
                assertThat(f.get()).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
