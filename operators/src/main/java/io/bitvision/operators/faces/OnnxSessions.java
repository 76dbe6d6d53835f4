package io.bitvision.operators.faces;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/** Opens the ONNX Runtime session of a face model and checks its layout; a session that fails the check is closed. */
final class OnnxSessions {
    private OnnxSessions() {}

    /** Reads what a session was checked to take and give; throws when the layout is not the expected one. */
    interface Layout<T> {
        T check(OrtSession session) throws OrtException;
    }

    /**
     * One intra-op and one inter-op thread: Flink runs one model per subtask, and the parallelism is the subtasks'.
     *
     * @throws InvalidFaceModelException when the bytes are not a loadable model or the layout check fails
     */
    static <T> T open(byte[] model, Layout<T> layout) {
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            session = OrtEnvironment.getEnvironment().createSession(model, options);
        } catch (OrtException e) {
            throw new InvalidFaceModelException("not a loadable ONNX model: " + e.getMessage(), e);
        }
        try {
            return layout.check(session);
        } catch (OrtException | RuntimeException e) {
            try {
                session.close();
            } catch (OrtException closing) {
                e.addSuppressed(closing);
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new InvalidFaceModelException("cannot read the model's inputs and outputs: " + e.getMessage(), e);
        }
    }
}
