package io.bitvision.benchmarks.live;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Reading RSS and native memory tracking output. */
class MemorySamplerTest {
    @Test
    void readsRssFromProcStatusAndTheCommittedTotalFromNativeMemoryTracking() {
        long[] kib = MemorySampler.parseStatus("Name:\tjava\nVmPeak:\t 9000 kB\nVmRSS:\t  735744 kB\n"
                + "RssAnon:\t  690000 kB\nRssFile:\t   45000 kB\nRssShmem:\t 744 kB\n");
        assertThat(kib).containsExactly(735744, 690000, 45000);
        double[] nmt = MemorySampler.nmtCommitted("""
                Native Memory Tracking:

                Total: reserved=3391519KB, committed=1344645KB
                       malloc: 66165KB #171528
                       mmap:   reserved=3325354KB, committed=1278480KB

                -                 Java Heap (reserved=1048576KB, committed=1048576KB)
                                            (mmap: reserved=1048576KB, committed=1048576KB)
                """);
        assertThat(nmt[0]).isEqualTo(1344645 / 1024.0);
        assertThat(nmt[1]).isEqualTo(1024.0);
        assertThat(MemorySampler.nmtCommitted("Native memory tracking is not enabled")[0]).isNaN();
    }
}
