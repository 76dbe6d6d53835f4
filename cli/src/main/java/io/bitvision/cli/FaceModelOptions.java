package io.bitvision.cli;

import io.bitvision.jobs.pipeline.PipelineArgs;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The face models of a command: {@code --face-detector}, {@code --face-model}, the shipped ones in {@code --models-dir}. */
public final class FaceModelOptions {
    @Option(names = "--face-detector", paramLabel = "M.bvm|M.onnx",
            description = "Face detector, ours or YuNet's ONNX layout (default: " + PipelineArgs.FACE_DETECTOR_NAME + " in --models-dir).")
    Path detector;

    @Option(names = "--face-tiles", paramLabel = "N", defaultValue = "1",
            description = "Also detect on N x N overlapping tiles, for small faces in large images (default 1: off).")
    int faceTiles;

    @Option(names = "--face-model", paramLabel = "M.bvm|M.onnx",
            description = "Face embedder (default: " + PipelineArgs.FACE_EMBEDDER_NAME + " in --models-dir).")
    Path faceModel;

    @Option(names = "--models-dir", paramLabel = "DIR", defaultValue = PipelineArgs.DEFAULT_MODELS_DIR,
            description = "Where the shipped models are (default: models/ beside ./bitvision).")
    Path modelsDir;
}
