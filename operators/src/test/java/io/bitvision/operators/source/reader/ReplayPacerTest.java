package io.bitvision.operators.source.reader;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplayPacerTest {
    @Test
    void loopsContinueTheTimelineOneFramePeriodAfterTheLastFrame() {
        ReplayPacer pacer = new ReplayPacer(10);
        assertThat(pacer.timeline(0)).isEqualTo(0);
        assertThat(pacer.timeline(100_000)).isEqualTo(100_000);
        assertThat(pacer.timeline(200_000)).isEqualTo(200_000);
        pacer.loop();
        assertThat(pacer.timeline(0)).isEqualTo(300_000);
        assertThat(pacer.timeline(100_000)).isEqualTo(400_000);
        // A PTS that goes backwards without an announced loop (a stream restart) also continues the timeline.
        assertThat(pacer.timeline(50_000)).isEqualTo(500_000);
        assertThat(pacer.timeline(-1)).isEqualTo(600_000); // no PTS: one period on
    }

    @Test
    void framesAreDueAtTheirTimelineOffsetFromTheFirstFrame() {
        ReplayPacer pacer = new ReplayPacer(25);
        assertThat(pacer.frameUs()).isEqualTo(40_000);
        long t0 = pacer.timeline(1_000_000); // files may start at a PTS other than 0
        assertThat(pacer.dueNanos(t0, 5_000)).isEqualTo(5_000);
        long t1 = pacer.timeline(1_040_000);
        assertThat(pacer.dueNanos(t1, 99_999_999)).isEqualTo(5_000 + 40_000_000); // late: due in the past
    }
}
