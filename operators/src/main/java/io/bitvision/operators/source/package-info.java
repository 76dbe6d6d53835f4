/**
 * The camera source (public API): {@link io.bitvision.operators.source.VideoSource} and its builder are the front
 * door; {@link io.bitvision.operators.source.CameraRecord} is the one thing it emits (frames, health events, dead
 * letters); {@link io.bitvision.operators.source.CameraSpec} and {@link io.bitvision.operators.source.CameraDiscovery}
 * describe cameras, including ones added while the job runs. Subpackages {@code split}, {@code enumerator} and
 * {@code reader} are the FLIP-27 parts, laid out like flink-connector-kafka's source.
 *
 * <h2>Design</h2>
 * <ul>
 *   <li><b>One split per camera.</b> A plain path or {@code file:} URI is a FILE (bounded, replayable), anything
 *       else is LIVE. The source is bounded when all cameras are files and no discovery is set. {@code replay:PATH}
 *       is a file played as a LIVE camera: each frame handed on when its PTS is due on the wall clock, looped at
 *       the end on one continuous PTS timeline (load and soak runs without a camera or a streaming server).
 *   <li><b>Untrusted URIs.</b> {@link io.bitvision.operators.source.CameraUriPolicy}: a camera's scheme must be
 *       allowed (default rtsp, rtsps, http, https; local files only for cameras given to the builder), or it is
 *       never opened and gets a FAILED health event with the reason. FFmpeg gets a {@code protocol_whitelist} of
 *       the scheme's own transports, set after the per-camera options, so a playlist cannot pull {@code file:},
 *       {@code concat:}, {@code subfile:} or {@code data:} inputs.
 *   <li><b>Threads.</b> Each camera decodes on its own thread (one thread per connection, "session"), using
 *       {@code FFmpegFrameGrabber} with RGB24 output, started with {@code startUnsafe()} outside JavaCV's JVM-wide
 *       start lock (measured here: with the lock, a file's start waited 6 s behind an HTTP camera that hung in
 *       open; without it, 1 ms). One watchdog thread per reader ticks all cameras. The task thread only polls
 *       queues and never blocks.
 *   <li><b>Hand-off.</b> Per camera a small bounded queue (default 2 frames). FILE: the decoder waits when it is
 *       full, so every frame of a file is delivered and a slow job backpressures decoding. LIVE: the oldest queued
 *       frame is dropped (drop-to-latest), counted in {@code droppedSinceLast} of the next emitted frame and in
 *       {@code framesDropped}. Health events and dead letters are never dropped for capacity.
 *   <li><b>Watchdog.</b> No frame for {@code stallTimeout} while the decoder is not waiting for room (that would
 *       be backpressure): HEALTH STALLED. A start slower than {@code connectTimeout}, a stall, an error or (live)
 *       end of stream: the session is abandoned (flagged; its queue generation is invalidated so it can never
 *       insert again; its thread closes its own grabber when FFmpeg returns, bounded by {@code rw_timeout}) and a
 *       new session starts after an exponential backoff, each attempt announced by HEALTH RECONNECTING with its
 *       number; after {@code maxReconnectAttempts} failed attempts in a row: FAILED. The first frame a session
 *       delivers resets the count. A successful open emits STREAMING.
 *   <li><b>Bad input.</b> A frame the decoder flags as corrupt becomes a DEAD_LETTER (CORRUPT_FRAME) at its frame
 *       number and the camera goes on. A file that ends before the frame count or duration its header declares
 *       gets a DEAD_LETTER (TRUNCATED) and then ENDED. A file that cannot be opened: DEAD_LETTER (OPEN_FAILED) and
 *       FAILED at once (not retried). An exception in the middle of a file: DEAD_LETTER (READ_ERROR) for the frame
 *       at that number, then the file is reopened after it.
 *   <li><b>Checkpoints.</b> Per camera the split with {@code nextSeq}: for a file the index of the next frame to
 *       emit (a restore decodes up to it without pixel conversion, so the output resumes at exactly that frame,
 *       and a target frame rate keeps the same frames); for a live stream the last emitted {@code frameSeq} + 1
 *       (it resumes live; numbering continues). Ended and failed files leave the state; a failed live camera
 *       stays and is retried after a restore. The enumerator checkpoints unassigned splits and assigned ids.
 *       Serializers are versioned; committed v1 snapshots are restored by tests.
 *   <li><b>Cameras at run time.</b> {@code CameraSplitEnumerator.addCameras} takes new cameras on the
 *       coordinator thread; a {@link io.bitvision.operators.source.CameraDiscovery} set on the builder is polled
 *       and feeds it (the camera-registry topic will be one). Cameras added to the builder are also picked up
 *       when a job restores from a checkpoint taken without them.
 *   <li><b>Metrics.</b> Per camera under {@code camera.<id>}: {@code decodeFps}, {@code stalled}, {@code state}
 *       gauges; {@code framesDecoded}, {@code framesDropped}, {@code reconnects} counters.
 * </ul>
 */
package io.bitvision.operators.source;
