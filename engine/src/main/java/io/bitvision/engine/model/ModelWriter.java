package io.bitvision.engine.model;

import io.bitvision.engine.graph.Graph;
import io.bitvision.engine.graph.Node;
import io.bitvision.engine.tensor.TensorSpec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;

/** Writes a {@link Model} in the current format version (2: version 1 plus metadata). */
public final class ModelWriter {
    private ModelWriter() {}

    public static byte[] toBytes(Model model) {
        try {
            ByteArrayOutputStream payloadBytes = new ByteArrayOutputStream();
            DataOutputStream payload = new DataOutputStream(payloadBytes);
            writePayload(model, payload);
            payload.flush();

            ByteArrayOutputStream fileBytes = new ByteArrayOutputStream();
            DataOutputStream file = new DataOutputStream(fileBytes);
            file.write(ModelFormat.MAGIC);
            file.writeShort(ModelFormat.VERSION);
            file.writeShort(0);
            file.writeInt(payloadBytes.size());
            payloadBytes.writeTo(file);
            file.flush();
            CRC32 crc = new CRC32();
            crc.update(fileBytes.toByteArray());
            file.writeInt((int) crc.getValue());
            return fileBytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("in-memory write failed", e);
        }
    }

    public static void write(Model model, OutputStream out) throws IOException {
        out.write(toBytes(model));
    }

    public static void write(Model model, Path path) throws IOException {
        Files.write(path, toBytes(model));
    }

    private static void writePayload(Model model, DataOutputStream out) throws IOException {
        writeString(model.name(), out);
        writeString(model.version(), out);
        writeMetadata(model.metadata(), out);
        Graph graph = model.graph();
        TensorSpec input = graph.input();
        out.writeByte(ModelFormat.INPUT_TYPE_BITS);
        out.writeByte(input.bits());
        out.writeShort(input.channels());
        out.writeShort(input.height());
        out.writeShort(input.width());
        out.writeShort(graph.nodes().size());
        for (Node node : graph.nodes()) {
            out.writeByte(node.op().type().id());
            int[] inputs = node.inputs();
            out.writeByte(inputs.length);
            for (int id : inputs) {
                out.writeShort(id);
            }
            OpCodec.write(node.op(), out);
        }
        int[] outputs = graph.outputs();
        out.writeShort(outputs.length);
        for (int i = 0; i < outputs.length; i++) {
            out.writeShort(outputs[i]);
            writeString(graph.outputNames().get(i), out);
        }
    }

    private static void writeMetadata(Map<String, String> metadata, DataOutputStream out) throws IOException {
        if (metadata.size() > ModelFormat.MAX_METADATA_ENTRIES) {
            throw new IllegalArgumentException("model has " + metadata.size() + " metadata entries, the format holds "
                    + ModelFormat.MAX_METADATA_ENTRIES);
        }
        out.writeShort(metadata.size());
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            writeString(entry.getKey(), out);
            writeString(entry.getValue(), out);
        }
    }

    private static void writeString(String value, DataOutputStream out) throws IOException {
        byte[] bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (bytes.length > ModelFormat.MAX_STRING_BYTES) {
            throw new IllegalArgumentException("string longer than " + ModelFormat.MAX_STRING_BYTES + " bytes: "
                    + value.substring(0, 40) + "...");
        }
        out.writeShort(bytes.length);
        out.write(bytes);
    }
}
