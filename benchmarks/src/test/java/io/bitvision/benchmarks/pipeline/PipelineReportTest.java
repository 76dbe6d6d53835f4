package io.bitvision.benchmarks.pipeline;

import io.bitvision.benchmarks.live.ThreadCpuSampler;
import io.bitvision.benchmarks.live.Percentiles;

import io.bitvision.testkit.report.JsonReports;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report's aggregation and JSON on made-up runs: no video, no broker, no timing. */
class PipelineReportTest {
    private static final PipelineReport.Setup SETUP = new PipelineReport.Setup("test machine", "25", "vtest.avi",
            768, 576, "dark-regions-test", "1", "stand-in", 1, 1, 1000);

    private static EndToEndBench.Run e2e(int index, long submit, long firstIngest, long lastAppend, long lastVisible,
                                         long[] visibleLatency) {
        Map<String, ThreadCpuSampler.Usage> cpu = new LinkedHashMap<>();
        cpu.put("flink inference task (+ kafka writer, committer)", new ThreadCpuSampler.Usage(8, 0.5));
        return new EndToEndBench.Run(index, 100, 100, 0, 0, submit, firstIngest, lastAppend - 50, firstIngest + 10,
                lastAppend, lastVisible, lastVisible + 5, visibleLatency, new long[] {1, 2, 3}, cpu, cpu, 0.1, 0.25);
    }

    private static Map<String, Object> report() {
        List<DecodeBench.Run> decode = List.of(
                new DecodeBench.Run(100, 768, 576, 2, 0.10, 20),  // 1000 fps
                new DecodeBench.Run(100, 768, 576, 3, 0.05, 20),  // 2000 fps
                new DecodeBench.Run(100, 768, 576, 4, 0.08, 20)); // 1250 fps
        List<EngineBench.Run> engine = List.of(
                new EngineBench.Run(100, 1.0, new long[] {1_000_000, 2_000_000}, 300),   // 100 fps
                new EngineBench.Run(100, 2.0, new long[] {3_000_000, 4_000_000}, 300),   // 50 fps
                new EngineBench.Run(100, 0.8, new long[] {5_000_000, 6_000_000}, 300));  // 125 fps
        // Run 1: 100 frames committed 2 s after submission, 1.6 s after the first ingest; run 2: 4 s and 3.2 s.
        List<EndToEndBench.Run> e2e = List.of(
                e2e(1, 10_000, 10_400, 11_900, 12_000, new long[] {100, 200, 300, 400}),
                e2e(2, 20_000, 20_800, 23_900, 24_000, new long[] {500, 600, 700, 800}));
        return PipelineReport.build(SETUP, decode, engine, Map.of("pack_ms", 8.0), e2e, Map.of("note", "synthetic"));
    }

    @Test
    void ratesAreMediansOverRunsAndRatiosUseTheEngineMedian() {
        Map<String, Object> json = report();
        assertThat((double) json.get("decode_fps")).isCloseTo(1250, within(1e-9));
        assertThat((double) json.get("engine_fps")).isCloseTo(100, within(1e-9));
        assertThat((double) json.get("e2e_fps")).isCloseTo((50 + 25) / 2.0, within(1e-9));
        assertThat((double) json.get("e2e_fps_excl_startup")).isCloseTo((62.5 + 31.25) / 2, within(1e-9));
        assertThat((double) json.get("e2e_over_engine")).isCloseTo(0.375, within(1e-9));
        assertThat(json.get("goal_met")).isEqualTo(false);
        assertThat((double) json.get("startup_ms")).isCloseTo(600, within(1e-9));
        assertThat((double) json.get("final_commit_ms")).isCloseTo(100, within(1e-9));
        assertThat((double) json.get("other_processes_cores")).isCloseTo(0.25, within(1e-9));
    }

    @Test
    void latencyPercentilesPoolEveryRecordOfEveryRun() {
        Map<String, Object> json = report();
        assertThat((double) json.get("latency_ms_p50")).isEqualTo(400);
        assertThat((double) json.get("latency_ms_p95")).isEqualTo(800);
        assertThat((double) json.get("latency_ms_max")).isEqualTo(800);
        assertThat((double) json.get("engine_ms_per_frame_p50")).isCloseTo(3, within(1e-9));
        assertThat((double) json.get("instances_per_frame")).isCloseTo(3, within(1e-9));
    }

    @Test
    void writesTheRequiredFieldsFirstAsParseableJson() throws Exception {
        String text = JsonReports.write(report());
        assertThat(text).startsWith("{\n  \"benchmark\": \"pipeline\",\n  \"e2e_fps\": 37.5,\n  \"engine_fps\": 100,\n"
                + "  \"decode_fps\": 1250,\n  \"latency_ms_p50\": 400,\n  \"latency_ms_p95\": 800,");
        assertThat(text).contains("\"goal_met\": false", "\"definitions\": {", "\"runqueue_wait_s\": 0.5",
                "\"note\": \"synthetic\"");
        com.fasterxml.jackson.databind.JsonNode parsed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        assertThat(parsed.findValues("decode_fps").stream().filter(com.fasterxml.jackson.databind.JsonNode::isArray)
                .map(Object::toString)).containsExactly("[1000,2000,1250]");
    }

    @Test
    void jsonNumbersKeepSixDigitsAndNonFiniteIsNull() {
        assertThat(JsonReports.number(64.594712)).isEqualTo("64.5947");
        assertThat(JsonReports.number(1332.0)).isEqualTo("1332");
        assertThat(JsonReports.number(0.000123456789)).isEqualTo("0.000123457");
        assertThat(JsonReports.number(Double.NaN)).isEqualTo("null");
        assertThat(JsonReports.write(Map.of("s", "a\"b\n"))).isEqualTo("{\n  \"s\": \"a\\\"b\\n\"\n}\n");
    }

    @Test
    void percentilesAreNearestRank() {
        double[] v = {5, 1, 4, 2, 3};
        assertThat(Percentiles.median(v)).isEqualTo(3);
        assertThat(Percentiles.median(new double[] {1, 2, 3, 4})).isEqualTo(2.5);
        assertThat(Percentiles.percentile(v, 95)).isEqualTo(5);
        assertThat(Percentiles.percentile(v, 20)).isEqualTo(1);
        assertThat(Percentiles.percentile(new double[0], 50)).isNaN();
    }

    @Test
    void threadsAreGroupedByTheirTruncatedOsNames() {
        assertThat(ThreadCpuSampler.group("inference -> ka")).startsWith("flink inference task");
        assertThat(ThreadCpuSampler.group("Source: cameras")).startsWith("flink source task");
        assertThat(ThreadCpuSampler.group("bitvision-camer")).startsWith("decode");
        assertThat(ThreadCpuSampler.group("bitvision-camera-vtest-1")).startsWith("decode");
        assertThat(ThreadCpuSampler.group("kafka-producer-")).isEqualTo("kafka producer i/o");
        assertThat(ThreadCpuSampler.group("data-plane-kaf")).startsWith("kafka broker");
        assertThat(ThreadCpuSampler.group("GC Thread#1")).isEqualTo("jvm gc");
        assertThat(ThreadCpuSampler.group("C2 CompilerThre")).isEqualTo("jvm jit");
        assertThat(ThreadCpuSampler.parseSchedstat("123 456 7\n")).containsExactly(123, 456);
        assertThat(ThreadCpuSampler.parseProcStat("cpu  10 1 5 100 4 2 3 0 0 0")).containsExactly(21, 125);
    }

    @Test
    void jfrStepMarkersMatchClassSuffixAndMethod() {
        assertThat(JfrProfile.matches("io.bitvision.operators.inference.FrameAnalyzer.analyze",
                "inference.FrameAnalyzer#analyze")).isTrue();
        assertThat(JfrProfile.matches("io.bitvision.operators.inference.FrameAnalyzer.model",
                "inference.FrameAnalyzer#analyze")).isFalse();
        assertThat(JfrProfile.matches("io.bitvision.engine.track.TrackerSnapshot.toBytes",
                "engine.track.TrackerSnapshot")).isTrue();
    }
}
