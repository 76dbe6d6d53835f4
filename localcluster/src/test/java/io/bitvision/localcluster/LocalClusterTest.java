package io.bitvision.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bookkeeping of the local cluster, without starting it. */
class LocalClusterTest {
    @TempDir
    Path state;

    private LocalCluster cluster() {
        return new LocalCluster(LocalCluster.Settings.defaults(state, state.resolve("lib")));
    }

    @Test
    void downIsSafeOnAClusterThatNeverRan() throws Exception {
        LocalCluster cluster = cluster();
        cluster.down(new PrintStream(new ByteArrayOutputStream()), false);
        cluster.down(new PrintStream(new ByteArrayOutputStream()), false);
        assertThat(cluster.isUp()).isFalse();
        assertThat(cluster.status()).containsEntry("jobmanager", "down").containsEntry("broker", "down");
    }

    @Test
    void aPidFileOnlyCountsForTheProcessThatWroteIt() throws Exception {
        LocalCluster cluster = cluster();
        Files.createDirectories(state.resolve("pids"));
        ProcessHandle self = ProcessHandle.current();
        long started = self.info().startInstant().orElseThrow().toEpochMilli();
        Files.writeString(state.resolve("pids/jobmanager.pid"), self.pid() + " " + started);
        assertThat(cluster.process("jobmanager")).contains(self);
        // Same pid, another start time: the pid was reused by a process that is not ours.
        Files.writeString(state.resolve("pids/jobmanager.pid"), self.pid() + " " + (started - 60_000));
        assertThat(cluster.process("jobmanager")).isEmpty();
        Files.writeString(state.resolve("pids/jobmanager.pid"), "not a pid");
        assertThat(cluster.process("jobmanager")).isEmpty();
    }

    @Test
    void statusListsEveryComponent() throws Exception {
        assertThat(cluster().status().keySet())
                .contains("broker", "jobmanager", "taskmanager-1", "taskmanager-2");
    }
}
