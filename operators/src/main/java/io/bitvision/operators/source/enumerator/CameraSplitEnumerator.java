package io.bitvision.operators.source.enumerator;

import io.bitvision.operators.source.CameraDiscovery;
import io.bitvision.operators.source.CameraSpec;
import io.bitvision.operators.source.split.CameraSplit;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hands one split per camera to the readers. Push model: splits go out when a reader registers or a camera is
 * added, readers never ask. Each new camera gets an owner subtask round-robin (cameras are long-lived and cost about
 * the same, so counts balance load); a split given back after a failure returns to the same subtask.
 *
 * <p>Cameras added at run time: {@link #addCameras} (coordinator thread) adds splits for ids not seen before; the
 * optional {@link CameraDiscovery} is polled on Flink's coordinator worker thread and feeds it. A custom
 * {@code SourceEvent} from a reader could call it the same way. Bounded sources (files only, no discovery) signal
 * "no more splits" to every reader once all cameras are assigned; unbounded ones never do, so cameras can keep
 * arriving.
 */
public final class CameraSplitEnumerator implements SplitEnumerator<CameraSplit, CameraEnumState> {
    private static final Logger LOG = LoggerFactory.getLogger(CameraSplitEnumerator.class);

    private final SplitEnumeratorContext<CameraSplit> context;
    private final Boundedness boundedness;
    private final CameraDiscovery discovery; // null: no discovery
    private final Duration discoveryInterval;

    private final Map<String, CameraSplit> unassigned = new LinkedHashMap<>();
    private final Map<String, Integer> owners = new HashMap<>();
    private final Set<String> assignedIds = new HashSet<>();
    private final Set<Integer> signalledNoMoreSplits = new HashSet<>();
    private int nextOwner;

    public CameraSplitEnumerator(SplitEnumeratorContext<CameraSplit> context, Boundedness boundedness,
                                 CameraDiscovery discovery, Duration discoveryInterval,
                                 CameraEnumState state) {
        this.context = context;
        this.boundedness = boundedness;
        this.discovery = discovery;
        this.discoveryInterval = discoveryInterval;
        assignedIds.addAll(state.assignedCameraIds());
        for (CameraSplit split : state.unassigned()) {
            unassigned.put(split.splitId(), split);
        }
    }

    @Override
    public void start() {
        if (discovery != null) {
            context.callAsync(discovery::discover, this::onDiscovered, 0, discoveryInterval.toMillis());
        }
        assignPending();
    }

    /**
     * Adds cameras whose ids are new; known ids (assigned or waiting) are ignored. Call on the coordinator thread
     * (from elsewhere use {@code context.runInCoordinatorThread}).
     *
     * @return how many cameras were added
     */
    public int addCameras(Collection<CameraSpec> cameras) {
        if (boundedness == Boundedness.BOUNDED && !cameras.isEmpty()) {
            throw new IllegalStateException("A bounded camera source cannot take new cameras; configure a "
                    + "discovery (which makes the source unbounded)");
        }
        int added = 0;
        for (CameraSpec spec : cameras) {
            if (!assignedIds.contains(spec.id()) && !unassigned.containsKey(spec.id())) {
                unassigned.put(spec.id(), CameraSplit.fresh(spec));
                added++;
            }
        }
        if (added > 0) {
            LOG.info("Added {} camera(s) at run time", added);
            assignPending();
        }
        return added;
    }

    private void onDiscovered(Collection<CameraSpec> cameras, Throwable error) {
        if (error != null) {
            LOG.warn("Camera discovery failed; trying again in {}", discoveryInterval, error);
        } else if (cameras != null) {
            addCameras(cameras);
        }
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // Push model: nothing to do.
    }

    @Override
    public void addSplitsBack(List<CameraSplit> splits, int subtaskId) {
        for (CameraSplit split : splits) {
            assignedIds.remove(split.splitId());
            unassigned.put(split.splitId(), split);
            owners.put(split.splitId(), subtaskId);
        }
        signalledNoMoreSplits.remove(subtaskId);
        assignPending();
    }

    @Override
    public void addReader(int subtaskId) {
        assignPending();
    }

    private void assignPending() {
        Set<Integer> registered = context.registeredReaders().keySet();
        if (registered.isEmpty()) {
            return;
        }
        int parallelism = context.currentParallelism();
        Map<Integer, List<CameraSplit>> assignment = new HashMap<>();
        for (Iterator<CameraSplit> it = unassigned.values().iterator(); it.hasNext(); ) {
            CameraSplit split = it.next();
            int owner = owners.computeIfAbsent(split.splitId(), id -> nextOwner++ % parallelism);
            if (owner >= parallelism) { // parallelism changed since the owner was chosen
                owner = nextOwner++ % parallelism;
                owners.put(split.splitId(), owner);
            }
            if (registered.contains(owner)) {
                assignment.computeIfAbsent(owner, k -> new ArrayList<>()).add(split);
                assignedIds.add(split.splitId());
                it.remove();
            }
        }
        if (!assignment.isEmpty()) {
            LOG.info("Assigning cameras {}", assignment);
            context.assignSplits(new SplitsAssignment<>(assignment));
        }
        if (boundedness == Boundedness.BOUNDED && unassigned.isEmpty()) {
            for (int reader : registered) {
                if (signalledNoMoreSplits.add(reader)) {
                    context.signalNoMoreSplits(reader);
                }
            }
        }
    }

    @Override
    public CameraEnumState snapshotState(long checkpointId) {
        return CameraEnumState.of(unassigned.values(), assignedIds);
    }

    @Override
    public void close() {
        // callAsync tasks are stopped by the context.
    }
}
