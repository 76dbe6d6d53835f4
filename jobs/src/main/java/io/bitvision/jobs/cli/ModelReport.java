package io.bitvision.jobs.cli;

import io.bitvision.engine.graph.MemoryPlan;
import io.bitvision.engine.model.Model;
import java.util.LinkedHashMap;
import java.util.Map;

/** What `model-info` and `demo` print about a model: size, MACs and the memory plan. */
final class ModelReport {
    private ModelReport() {}

    static Map<String, Object> of(Model model, long fileBytes) {
        MemoryPlan plan = model.plan();
        long bitwise = model.graph().bitwiseMacs();
        long other = model.graph().otherMacs();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("name", model.name());
        report.put("version", model.version());
        report.put("input", model.graph().input().toString());
        report.put("nodes", model.graph().nodes().size());
        report.put("params", model.parameterCount());
        report.put("file_bytes", fileBytes);
        report.put("macs_bitwise", bitwise);
        report.put("macs_other", other);
        report.put("bitwise_mac_share", bitwise + other == 0 ? 0.0 : (double) bitwise / (bitwise + other));
        report.put("peak_activation_bytes", plan.peakActivationBytes());
        report.put("skip_bytes", plan.skipBytes());
        report.put("arena_bytes", plan.arenaBytes());
        return report;
    }
}
