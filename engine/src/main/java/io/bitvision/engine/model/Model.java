package io.bitvision.engine.model;

import io.bitvision.engine.graph.Graph;
import io.bitvision.engine.graph.GraphFusion;
import io.bitvision.engine.graph.MemoryPlan;
import io.bitvision.engine.graph.PatchPackOp;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A loaded model: name, version, metadata, graph with weights as stored, the graph an engine runs (the stored one
 * after {@link GraphFusion}) and that graph's memory plan. Immutable and safe to share
 * between threads; each thread runs it through its own {@link io.bitvision.engine.InferenceEngine}.
 */
public final class Model {
    private final String name;
    private final String version;
    private final Graph graph;
    private final Map<String, String> metadata;
    private final Graph executionGraph;
    private final PatchPackOp imageStem;
    private final MemoryPlan plan;

    public Model(String name, String version, Graph graph) {
        this(name, version, graph, Map.of());
    }

    /** @param metadata string pairs the exporter attaches (docs/model-format.md lists the keys); order is kept */
    public Model(String name, String version, Graph graph, Map<String, String> metadata) {
        this(name, version, graph, metadata, true);
    }

    private Model(String name, String version, Graph graph, Map<String, String> metadata, boolean fuse) {
        this.name = name;
        this.version = version;
        this.graph = graph;
        LinkedHashMap<String, String> copy = new LinkedHashMap<>();
        metadata.forEach((key, value) -> {
            if (key == null || value == null) {
                throw new IllegalArgumentException("metadata keys and values must not be null: " + key + "=" + value);
            }
            copy.put(key, value);
        });
        this.metadata = Collections.unmodifiableMap(copy);
        GraphFusion.Fused fused = fuse ? GraphFusion.fuse(graph) : new GraphFusion.Fused(graph, null);
        this.executionGraph = fused.graph();
        this.imageStem = fused.imageStem();
        this.plan = new MemoryPlan(executionGraph);
    }

    public String name() {
        return name;
    }

    public String version() {
        return version;
    }

    /** The graph as stored in the model file. */
    public Graph graph() {
        return graph;
    }

    /** The graph an engine runs: the stored graph with fused operators, or the stored graph itself. */
    public Graph executionGraph() {
        return executionGraph;
    }

    /**
     * The stored graph's first patch-pack layer when the engine packs images straight into its output (then the
     * {@link #executionGraph()}'s input is that output); null when the execution graph's input is the stored one.
     */
    public PatchPackOp imageStem() {
        return imageStem;
    }

    /** This model run exactly as stored, without fused operators: the reference fused engines are checked against. */
    public Model withoutFusion() {
        return new Model(name, version, graph, metadata, false);
    }

    /** Unmodifiable, in the order the exporter wrote it; empty for format-version-1 files. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Memory plan of the {@link #executionGraph()}. */
    public MemoryPlan plan() {
        return plan;
    }

    public long parameterCount() {
        return ModelStats.parameters(graph);
    }
}
