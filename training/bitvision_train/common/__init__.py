"""What the person and face models share: the .bvm writer, quantised layers and blocks, the engine graph tracer,
the training loop, metrics, RLE, curves, provenance and the teacher runner."""
