package io.bitvision.cli;

import io.bitvision.testkit.report.JsonReports;
import io.bitvision.engine.ImagePacker;
import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.kernel.Kernels;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelFormatException;
import io.bitvision.engine.model.ModelWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Entry point of {@code ./bitvision}: one subcommand per job an operator or developer does by hand. */
public final class BitvisionCli {
    private BitvisionCli() {}

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "help" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        int status = switch (command) {
            case "demo" -> pipelineDemo(rest);
            case "engine-demo" -> demo(rest);
            case "run" -> run(rest);
            case "consume" -> consume(rest);
            case "add-camera" -> addCamera(rest);
            case "bench-pipeline" -> io.bitvision.benchmarks.live.PipelineBench.run(rest);
            case "bench-faces" -> io.bitvision.benchmarks.live.FaceBench.run(rest);
            case "bench-scale" -> io.bitvision.benchmarks.live.ScaleBench.run(rest);
            case "bench-faults" -> io.bitvision.benchmarks.live.FaultBench.run(rest);
            case "soak" -> io.bitvision.benchmarks.live.SoakRun.run(rest);
            case "broker" -> {
                io.bitvision.testkit.broker.StandaloneBroker.main(rest);
                yield 0;
            }
            case "cluster" -> io.bitvision.localcluster.ClusterCommand.cluster(rest, System.out, System.err);
            case "verify-cluster" -> io.bitvision.localcluster.ClusterCommand.verify(rest, System.out, System.err);
            case "verify-upgrade" -> io.bitvision.localcluster.ClusterCommand.upgrade(rest, System.out, System.err);
            case "model-info" -> ModelInfoCommand.run(rest, System.out, System.err);
            case "infer" -> InferCommand.run(rest, System.out, System.err);
            case "enroll" -> EnrollCommand.run(rest, System.out, System.err);
            case "faces" -> FacesCommand.run(rest, System.out, System.err);
            case "calibrate" -> CalibrateCommand.run(rest, System.out, System.err);
            case "help", "--help", "-h" -> help();
            default -> {
                System.err.println("unknown command '" + command + "'");
                help();
                yield 2;
            }
        };
        System.exit(status);
    }

    private static int help() {
        System.out.println("""
                usage: ./bitvision <command> [options]

                Commands that run a model default to models/person-v1.bvm (the trained person model); demo and run
                fall back to a hand-built stand-in, with a warning, only when that file is missing.

                  demo [--model M.bvm] [--cameras N] [--out-dir DIR]
                                       the pipeline on the embedded default: in-process Kafka broker, local
                                       Flink MiniCluster, vtest.avi as two cameras; checks the topics as a
                                       read_committed consumer, writes DIR/demo.json (bench-results/) and an
                                       overlay of masks and track ids
                  run --bootstrap HOST:PORT --camera ID=URL [--camera ...] [--model M.bvm]
                      [--kafka-property K=V ...] [--kafka-properties FILE]
                                       run the job (local MiniCluster) against any broker; Kafka client
                                       settings (TLS, SASL) for every client of the job, secrets hidden in
                                       what it logs (also --producer-property, --consumer-property)
                  infer [--model M.bvm] --image IMAGE --out RESULT.json [--overlay OUT.png] [--score-threshold T]
                                       one PNG or JPEG image of any size through the model: instances (class,
                                       score, bbox, area, COCO RLE mask) as JSON, an overlay PNG (default:
                                       RESULT.png beside the JSON) and a one-line summary
                  faces --image IMAGE --out RESULT.json [--watchlist FILE] [--threshold T] [--overlay OUT.png]
                                       faces of one image (detect, align, embed, match against a watchlist file):
                                       bbox, score, landmarks, identity (null when none passes the threshold),
                                       similarity; an overlay PNG beside the JSON. Face commands take
                                       [--face-detector M.bvm] [--face-model M.bvm|M.onnx], default
                                       models/face-detector-v1.bvm and models/face-embedder-v1.bvm
                  enroll --id ID --image IMAGE [--image ...] [--name NAME] [--version V] (--watchlist FILE |
                         --bootstrap HOST:PORT [--topic T] [--producer-property K=V ...])
                                       put an identity on the watchlist (each image's largest face): into a
                                       watchlist file, or published to the job's watchlist topic (default
                                       bitvision.watchlist); enroll --id ID --delete ... takes it off
                  calibrate --images DIR [--far 0.01] [--out calibration.json] [--write-threshold]
                                       the match threshold at a false-accept rate on held-out faces (DIR/<identity>/
                                       images): threshold, FAR, TAR, accuracy, pair counts; --write-threshold stores
                                       it in the embedder's metadata (match.threshold), where faces and run read it
                  add-camera --bootstrap HOST:PORT --registry TOPIC --camera ID=URL [--producer-property K=V ...]
                                       register a camera; jobs started with --camera-registry TOPIC pick it up
                  consume --bootstrap HOST:PORT --topic T [--max N] [--consumer-property K=V ...]
                                       print committed records of a topic as JSON lines
                  broker [--port 9092] [--data-dir DIR]
                                       a standalone single-node KRaft broker on 127.0.0.1
                  cluster up|down|status [--state-dir .bitvision/cluster] [--purge]
                                       a Kafka broker and a Flink standalone session cluster (a JobManager and
                                       two TaskManagers) as separate JVMs on 127.0.0.1 (docs/cluster.md)
                  verify-cluster [--cameras 3] [--frames 300] [--kill-at 0.3] [--keep-cluster]
                                       the job on that cluster (flink run -d), one TaskManager killed with
                                       SIGKILL mid-stream; writes bench-results/failover.json (expected, seen,
                                       duplicates, gaps, recovery_s); exit status 1 unless exactly once
                  verify-upgrade [--cameras 2] [--frames 300] [--from 1] [--to 2] [--stop-at 0.4]
                                       the job at parallelism 1 on that cluster, flink stop --savepointPath
                                       mid-stream, flink run -s SAVEPOINT at parallelism 2; writes
                                       bench-results/upgrade.json; exit status 1 unless exactly once
                  engine-demo          the engine alone on a generated 768x576 frame, per-node times
                  model-info [M.bvm] [--out F.json]
                                       a model's size, MACs, memory plan (skip_bytes against a plain U-Net's
                                       skip_bytes_plain) and metadata as JSON; written to F.json too
                  bench engine         JMH benchmarks of the engine kernels against ONNX Runtime,
                                       writes bench-results/engine.json (--quick for a short run)
                  bench pipeline [--e2e-runs 2] [--checkpoint-ms 1000] [--jfr FILE] [--what-if]
                                       the whole job (MiniCluster + in-process broker, 1 camera) against
                                       decode alone and the engine alone on vtest.avi: fps, capture-to-Kafka
                                       latency, CPU profile; writes bench-results/pipeline.json
                  bench scale [--max-cameras 8] [--seconds 60] [--warmup-s 15] [--keep-up 0.95] [--max-drop 0.01]
                              [--cluster]
                                       cameras per TaskManager slot: N = 1, 2, ... live cameras (vtest.avi replayed
                                       at its 10 fps, drop-to-latest) on one slot with the in-process broker, until
                                       a camera's processed rate falls below 95% of its rate or more than 1% of its
                                       frames drop; per N fps, drops, latency, CPU; writes bench-results/scale.json;
                                       --cluster: on a TaskManager slot of the local standalone cluster
                  bench faults [--healthy 1] [--seconds 60] [--outage-s 5] [--flap-every-s 20]
                                       healthy live cameras alone, then next to a camera that disconnects and
                                       returns, one that never answers, one that sends garbage and a closed port:
                                       processed fps and drops of the healthy ones in both runs, the faulty ones'
                                       health reports, seconds to the first frame after each return; writes
                                       bench-results/faults.json
                  soak --minutes N [--cameras 2] [--rss-bound-mib 64] [--heap-bound-mib 32] [--sample-s 10]
                                       the job with K looping live cameras for N minutes, RSS, heap (after a full
                                       GC every 30 s), NMT sampled; growth = median of the last quarter - median of
                                       the first after a 2-minute warm-up; writes bench-results/soak.json and
                                       soak.png; exit status 1 when a bound is exceeded
                  train --video PATH_OR_URL [--frames A:B] [--epochs N] [--out DIR]
                                       adapt the person model to a static camera from unlabelled footage
                                       (pseudo-labels, training, export; training/README.md), writes DIR/person.bvm
                  test                 build and run every test (same as CI)
                """);
        return 0;
    }

    private static int pipelineDemo(String[] args) throws Exception {
        int cameras = 2;
        Path outDir = Path.of("bench-results");
        Path modelPath = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--cameras" -> cameras = Integer.parseInt(args[++i]);
                case "--out-dir" -> outDir = Path.of(args[++i]);
                case "--model" -> modelPath = Path.of(args[++i]);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    return 2;
                }
            }
        }
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < cameras; i++) {
            ids.add("vtest-" + (char) ('a' + i));
        }
        ModelChoice.PipelineModel model;
        try {
            model = ModelChoice.forPipeline(modelPath, System.err);
        } catch (MissingModelException | ModelFormatException e) {
            System.err.println("demo: " + e.getMessage());
            return 1;
        }
        Path video = io.bitvision.testkit.clips.SampleVideo.vtest(Path.of(".bitvision/samples"));
        System.out.println("bitvision demo: " + ids + " <- " + video);
        System.out.println("model: " + model.description() + ", instances named '" + model.className() + "'");
        var result = io.bitvision.cli.demo.EmbeddedDemo.run(ids, video, outDir, Math.min(2, cameras), model.ref(),
                model.className());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", model.description());
        json.put("stand_in_model", model.standIn());
        json.put("frames_read", result.framesRead());
        json.put("records", result.records());
        json.put("duplicates", result.duplicates());
        json.put("gaps", result.gaps());
        json.put("overlay", result.overlay().toString());
        json.put("cameras", result.perCamera());
        Files.createDirectories(outDir);
        Files.writeString(outDir.resolve("demo.json"), JsonReports.write(json));
        System.out.println("wrote " + outDir.resolve("demo.json"));
        return result.duplicates() == 0 && result.gaps() == 0 ? 0 : 1;
    }

    private static int run(String[] args) throws Exception {
        try {
            io.bitvision.jobs.pipeline.PipelineMain.main(args);
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("run: " + e.getMessage());
            System.err.println("usage: ./bitvision run --bootstrap HOST:PORT --camera ID=URL [--camera ...] [--model M.bvm]");
            return 2;
        }
    }

    private static int addCamera(String[] args) throws Exception {
        String bootstrap = null;
        String registry = null;
        String camera = null;
        java.util.Properties clientProperties = new java.util.Properties();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--bootstrap" -> bootstrap = args[i + 1];
                case "--registry" -> registry = args[i + 1];
                case "--camera" -> camera = args[i + 1];
                case "--producer-property" -> {
                    if (!addProperty(clientProperties, args[i], args[i + 1])) {
                        return 2;
                    }
                }
                default -> {
                    System.err.println("unknown option " + args[i]);
                    return 2;
                }
            }
        }
        int eq = camera == null ? -1 : camera.indexOf('=');
        if (bootstrap == null || registry == null || eq <= 0) {
            System.err.println("usage: ./bitvision add-camera --bootstrap HOST:PORT --registry TOPIC --camera ID=URL [--producer-property K=V ...]");
            return 2;
        }
        io.bitvision.operators.source.registry.CameraRegistryWriter.register(bootstrap, clientProperties, registry, camera.substring(0, eq),
                camera.substring(eq + 1));
        System.out.println("registered camera " + camera.substring(0, eq) + " on " + registry);
        return 0;
    }

    private static int consume(String[] args) throws Exception {
        String bootstrap = null;
        String topic = null;
        int max = Integer.MAX_VALUE;
        java.util.Properties clientProperties = new java.util.Properties();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--bootstrap" -> bootstrap = args[i + 1];
                case "--topic" -> topic = args[i + 1];
                case "--max" -> max = Integer.parseInt(args[i + 1]);
                case "--consumer-property" -> {
                    if (!addProperty(clientProperties, args[i], args[i + 1])) {
                        return 2;
                    }
                }
                default -> {
                    System.err.println("unknown option " + args[i]);
                    return 2;
                }
            }
        }
        if (bootstrap == null || topic == null) {
            System.err.println("usage: ./bitvision consume --bootstrap HOST:PORT --topic TOPIC [--max N] [--consumer-property K=V ...]");
            return 2;
        }
        var records = io.bitvision.testkit.audit.CommittedRecords.readAll(bootstrap, clientProperties,
                java.time.Duration.ofSeconds(30), topic).get(topic);
        int printed = 0;
        for (var record : records) {
            if (printed++ >= max) {
                break;
            }
            System.out.println(io.bitvision.cli.consume.RecordJson.toJson(record.value()));
        }
        return 0;
    }

    /** KEY=VALUE into {@code properties} (TLS/SASL client settings); false, with a message, when malformed. */
    private static boolean addProperty(java.util.Properties properties, String option, String keyValue) {
        int eq = keyValue.indexOf('=');
        if (eq <= 0) {
            System.err.println(option + " takes KEY=VALUE");
            return false;
        }
        properties.setProperty(keyValue.substring(0, eq), keyValue.substring(eq + 1));
        return true;
    }

    private static int demo(String[] args) throws Exception {
        int frames = 30;
        Path out = Path.of("bench-results/engine-demo.json");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--frames" -> frames = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    return 2;
                }
            }
        }
        int height = 576;
        int width = 768;
        Model model = ShowcaseNetwork.build(height, width);
        long fileBytes = ModelWriter.toBytes(model).length;
        InferenceEngine engine = InferenceEngine.builder(model).build();
        byte[] frame = syntheticFrame(height, width);
        System.out.println("bitvision engine demo: the streaming job is not built yet; this runs the inference engine alone.");
        System.out.printf(Locale.ROOT, "JVM %s, %d cores, Vector API %s, kernels %s%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), Kernels.vectorAvailable() ? "on" : "off", engine.kernelStrategy());
        System.out.printf(Locale.ROOT, "network %s (untrained, random weights): %d nodes, input %s%n", model.name(),
                model.graph().nodes().size(), model.graph().input());

        long[] nanos = new long[frames];
        for (int i = 0; i < frames; i++) {
            long start = System.nanoTime();
            ImagePacker.pack(frame, engine.input());
            engine.run();
            nanos[i] = System.nanoTime() - start;
            if (i % 10 == 9 || i == frames - 1) {
                System.out.printf(Locale.ROOT, "frame %d/%d: %.1f ms%n", i + 1, frames, nanos[i] / 1e6);
            }
        }
        System.out.println();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10; i++) {
            ImagePacker.pack(frame, engine.input());
            engine.run();
        }
        double allocatedPerFrame = (threads.getCurrentThreadAllocatedBytes() - allocatedBefore) / 10.0;
        long[] nodeNanos = new long[model.graph().nodes().size()];
        for (int i = 0; i < 3; i++) {
            engine.run(nodeNanos);
        }
        System.out.println("time per node (mean of 3 runs):");
        for (int i = 0; i < nodeNanos.length; i++) {
            var node = model.graph().nodes().get(i);
            System.out.printf(Locale.ROOT, "  %2d %-14s -> %-22s %8.2f ms%n", i, node.op().type(), model.graph().spec(i + 1),
                    nodeNanos[i] / 3e6);
        }
        long[] steady = Arrays.copyOfRange(nanos, frames / 2, frames);
        Arrays.sort(steady);
        double medianMs = steady[steady.length / 2] / 1e6;

        Map<String, Object> report = new LinkedHashMap<>(ModelReport.of(model, fileBytes));
        report.put("kernels", engine.kernelStrategy().name().toLowerCase(Locale.ROOT));
        report.put("frames", frames);
        report.put("median_ms_per_frame", medianMs);
        report.put("frames_per_second_one_thread", 1000.0 / medianMs);
        report.put("alloc_bytes_per_frame", allocatedPerFrame);
        System.out.printf(Locale.ROOT, "median %.1f ms per frame (%.1f fps on one thread), %d MACs of which %.1f%% bitwise%n",
                medianMs, 1000.0 / medianMs, model.graph().bitwiseMacs() + model.graph().otherMacs(),
                100.0 * (double) report.get("bitwise_mac_share"));
        System.out.printf(Locale.ROOT, "heap allocated per frame after warm-up (pack + run): %.1f bytes%n", allocatedPerFrame);
        System.out.printf(Locale.ROOT, "arena %.2f MiB allocated once (peak activations %.2f MiB, skip connections %.2f MiB)%n",
                model.plan().arenaBytes() / 1048576.0, model.plan().peakActivationBytes() / 1048576.0,
                model.plan().skipBytes() / 1048576.0);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, JsonReports.write(report));
        System.out.println("wrote " + out);
        return 0;
    }

    /** A deterministic test card: gradients and stripes, so every bit-plane carries information. */
    private static byte[] syntheticFrame(int height, int width) {
        byte[] rgb = new byte[height * width * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int at = (y * width + x) * 3;
                rgb[at] = (byte) (x * 255 / width);
                rgb[at + 1] = (byte) (y * 255 / height);
                rgb[at + 2] = (byte) (((x / 16 + y / 16) & 1) * 200 + (x ^ y) % 55);
            }
        }
        return rgb;
    }
}
