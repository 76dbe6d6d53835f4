package io.bitvision.cli;

import io.bitvision.engine.graph.MemoryPlan;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelStats;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What `model-info` and `engine-demo` print about a model: size, MACs, the memory plan, what its skip design saves
 * against a plain per-scale-skip U-Net ({@code skip_saving}, only when the model names those tensors) and its
 * metadata.
 */
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
        // skip_bytes: the UNet-- stored map when the model names it, else whatever the plan holds across steps.
        long mapSkipBytes = ModelStats.mapSkipBytes(model);
        long skipBytes = mapSkipBytes > 0 ? mapSkipBytes : plan.skipBytes();
        report.put("skip_bytes", skipBytes);
        long plainSkipBytes = ModelStats.plainSkipBytes(model);
        report.put("skip_bytes_plain", plainSkipBytes);
        if (plainSkipBytes > 0) {
            report.put("skip_saving", 1.0 - (double) skipBytes / plainSkipBytes);
        }
        report.put("held_activation_bytes_max", plan.skipBytes());
        report.put("arena_bytes", plan.arenaBytes());
        report.put("metadata", model.metadata());
        return report;
    }
}
