package io.bitvision.operators.source.reader;

import io.bitvision.operators.source.CameraRecord;
import io.bitvision.operators.source.VideoSourceOptions;
import io.bitvision.operators.source.split.CameraSplit;
import io.bitvision.operators.source.split.CameraSplitState;
import io.bitvision.operators.source.split.InputKind;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.bytedeco.ffmpeg.global.avutil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reader of the camera source: every assigned camera decodes on its own thread(s) into a bounded
 * {@link FrameHandoff}; the task thread takes one record per {@link #pollNext} call, round-robin over cameras, and
 * never blocks. One watchdog thread per reader ticks every camera (stall and start timeouts, reconnects, decode
 * rate, heartbeats).
 *
 * <p>Why not {@code SourceReaderBase}: its fetcher threads call {@code SplitReader.fetch()} and must stay wakeable
 * and joinable, while a camera thread can sit inside FFmpeg for minutes and has to be abandoned instead; and its
 * element queue would be a second buffer between the camera and the job, defeating drop-to-latest. The parts that
 * matter are the same: split states advanced on the task thread as records go out (so a snapshot matches the
 * output), per-split outputs (per-camera watermarks), finished splits released.
 *
 * <p>Checkpointed: per camera its {@link CameraSplit} with {@code nextSeq} = last emitted frame number + 1. Records
 * still queued in a hand-off are not in the state: a file re-decodes them after a restore, a live stream moves on.
 */
public final class CameraSourceReader implements SourceReader<CameraRecord, CameraSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(CameraSourceReader.class);
    private static final long THREAD_JOIN_BUDGET_MS = 1_000;

    private final SourceReaderContext context;
    private final VideoSourceOptions options;
    private final AvailabilityNotifier notifier = new AvailabilityNotifier();
    private final List<Channel> channels = new ArrayList<>();
    private final Map<String, CameraSplit> failedLiveSplits = new LinkedHashMap<>();
    private final Set<String> paused = new HashSet<>();
    private final List<CameraWorker> watched = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService watchdog;
    private boolean noMoreSplits;
    private int roundRobin;

    /** One camera as the task thread sees it. */
    private static final class Channel {
        final CameraWorker worker;
        final CameraSplitState state;
        SourceOutput<CameraRecord> output;
        ReaderOutput<CameraRecord> outputOwner;
        long lastTimestamp = Long.MIN_VALUE;

        Channel(CameraWorker worker, CameraSplitState state) {
            this.worker = worker;
            this.state = state;
        }

        String id() {
            return state.split().splitId();
        }
    }

    public CameraSourceReader(SourceReaderContext context, VideoSourceOptions options) {
        this.context = context;
        this.options = options;
    }

    @Override
    public void start() {
        if (options.ffmpegLogLevel() != VideoSourceOptions.KEEP_LOG_LEVEL) {
            avutil.av_log_set_level(options.ffmpegLogLevel());
        }
        long tickMs = watchdogTickMillis(options);
        watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bitvision-camera-watchdog-" + context.getIndexOfSubtask());
            t.setDaemon(true);
            return t;
        });
        watchdog.scheduleWithFixedDelay(this::tick, tickMs, tickMs, TimeUnit.MILLISECONDS);
    }

    static long watchdogTickMillis(VideoSourceOptions options) {
        long shortest = Math.min(options.stallTimeout().toMillis(),
                Math.min(options.connectTimeout().toMillis(), options.reconnectBackoffInitial().toMillis()));
        return Math.max(10, Math.min(250, shortest / 4));
    }

    private void tick() {
        long now = System.nanoTime();
        for (CameraWorker worker : watched) {
            try {
                worker.tick(now);
            } catch (Throwable e) { // never let one camera kill the watchdog
                LOG.error("Watchdog tick failed for camera {}", worker.cameraId(), e);
            }
        }
    }

    @Override
    public InputStatus pollNext(ReaderOutput<CameraRecord> output) {
        int n = channels.size();
        for (int i = 0; i < n; i++) {
            int index = (roundRobin + i) % n;
            Channel channel = channels.get(index);
            if (paused.contains(channel.id())) {
                continue;
            }
            CameraRecord record = channel.worker.handoff().poll();
            if (record == null) {
                continue;
            }
            if (record == FrameHandoff.END) {
                finish(channel, output);
                roundRobin = 0;
            } else {
                emit(channel, record, output);
                roundRobin = index + 1;
            }
            return InputStatus.MORE_AVAILABLE;
        }
        notifier.reset();
        for (Channel channel : channels) { // re-check after reset: no lost wake-up
            if (!paused.contains(channel.id()) && channel.worker.handoff().hasNext()) {
                return InputStatus.MORE_AVAILABLE;
            }
        }
        return channels.isEmpty() && noMoreSplits ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
    }

    private void emit(Channel channel, CameraRecord record, ReaderOutput<CameraRecord> output) {
        if (channel.outputOwner != output) { // first record, or Flink handed us a new main output
            channel.output = output.createOutputForSplit(channel.id());
            channel.outputOwner = output;
        }
        if (record.frameSeq >= 0) {
            channel.state.emitted(record.frameSeq);
        }
        if (record.kind == CameraRecord.Kind.FRAME) {
            channel.lastTimestamp = record.captureTimeMs;
            channel.output.collect(record, record.captureTimeMs);
        } else if (channel.lastTimestamp != Long.MIN_VALUE) {
            channel.output.collect(record, channel.lastTimestamp);
        } else {
            channel.output.collect(record);
        }
    }

    private void finish(Channel channel, ReaderOutput<CameraRecord> output) {
        channels.remove(channel);
        watched.remove(channel.worker);
        if (!channel.worker.handoff().removeSplitAtEnd()) {
            failedLiveSplits.put(channel.id(), channel.state.toSplit());
        }
        if (channel.outputOwner == output) {
            output.releaseOutputForSplit(channel.id());
        }
        LOG.info("Camera {} finished at frame {}", channel.id(), channel.state.nextSeq());
    }

    @Override
    public List<CameraSplit> snapshotState(long checkpointId) {
        List<CameraSplit> splits = new ArrayList<>(channels.size() + failedLiveSplits.size());
        for (Channel channel : channels) {
            splits.add(channel.state.toSplit());
        }
        splits.addAll(failedLiveSplits.values());
        return splits;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return notifier.future();
    }

    @Override
    public void addSplits(List<CameraSplit> splits) {
        for (CameraSplit split : splits) {
            if (hasCamera(split.splitId())) {
                LOG.warn("Camera {} is already read by this reader; ignoring the second split", split.splitId());
                continue;
            }
            CameraMetrics metrics = new CameraMetrics();
            metrics.register(context.metricGroup(), split.cameraId());
            FrameHandoff.Mode mode = split.kind() == InputKind.FILE
                    ? FrameHandoff.Mode.BLOCK : FrameHandoff.Mode.DROP_OLDEST;
            FrameHandoff handoff = new FrameHandoff(mode, options.handoffCapacity(), split.nextSeq(), notifier,
                    metrics);
            CameraWorker worker = new CameraWorker(split, options, handoff, metrics);
            channels.add(new Channel(worker, new CameraSplitState(split)));
            watched.add(worker);
            LOG.info("Reading camera {} from frame {}", split, split.nextSeq());
            worker.start();
        }
    }

    private boolean hasCamera(String id) {
        return failedLiveSplits.containsKey(id) || channels.stream().anyMatch(c -> c.id().equals(id));
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        notifier.notifyAvailable();
    }

    @Override
    public void pauseOrResumeSplits(Collection<String> splitsToPause, Collection<String> splitsToResume) {
        paused.addAll(splitsToPause);
        paused.removeAll(splitsToResume);
        notifier.notifyAvailable();
    }

    @Override
    public void close() {
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
        List<Thread> threads = new ArrayList<>();
        for (Channel channel : channels) {
            threads.addAll(channel.worker.close());
        }
        watched.clear();
        long deadline = System.currentTimeMillis() + THREAD_JOIN_BUDGET_MS;
        for (Thread thread : threads) {
            long left = deadline - System.currentTimeMillis();
            if (left > 0) {
                try {
                    thread.join(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (thread.isAlive()) {
                LOG.warn("Decode thread {} is still inside FFmpeg; leaving it to exit on its own", thread.getName());
            }
        }
        channels.clear();
    }

    /** Number of cameras this reader still reads (tests, diagnostics). */
    int activeCameras() {
        return channels.size();
    }
}
