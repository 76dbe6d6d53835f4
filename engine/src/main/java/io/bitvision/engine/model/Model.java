package io.bitvision.engine.model;

import io.bitvision.engine.graph.Graph;
import io.bitvision.engine.graph.MemoryPlan;

/**
 * A loaded model: name, version, graph with weights, and its memory plan. Immutable and safe to share between
 * threads; each thread runs it through its own {@link io.bitvision.engine.InferenceEngine}.
 */
public final class Model {
    private final String name;
    private final String version;
    private final Graph graph;
    private final MemoryPlan plan;

    public Model(String name, String version, Graph graph) {
        this.name = name;
        this.version = version;
        this.graph = graph;
        this.plan = new MemoryPlan(graph);
    }

    public String name() {
        return name;
    }

    public String version() {
        return version;
    }

    public Graph graph() {
        return graph;
    }

    public MemoryPlan plan() {
        return plan;
    }

    public long parameterCount() {
        return ModelStats.parameters(graph);
    }
}
