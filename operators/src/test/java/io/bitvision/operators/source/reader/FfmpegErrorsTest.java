package io.bitvision.operators.source.reader;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FfmpegErrorsTest {

    @Test
    void javacvCallErrorsGetFfmpegsMeaningAndLoseTheUrlAndHint() {
        assertThat(FfmpegErrors.explain("avformat_open_input() error -110: Could not open input "
                + "\"http://admin:pw@10.0.0.7/live\". (Has setFormat() been called?)"))
                .isEqualTo("Could not open input: Connection timed out (-110)");
        assertThat(FfmpegErrors.explain("avformat_open_input() error -1094995529: Could not open input \"x\"."))
                .isEqualTo("Could not open input: Invalid data found when processing input (-1094995529)");
        assertThat(FfmpegErrors.explain("avformat_find_stream_info() error -111: Could not find stream information."))
                .isEqualTo("Could not find stream information: Connection refused (-111)");
    }

    @Test
    void otherMessagesStayAsTheyAre() {
        assertThat(FfmpegErrors.explain("no video stream in mpegts input")).isEqualTo("no video stream in mpegts input");
        assertThat(FfmpegErrors.explain(null)).isNull();
    }
}
