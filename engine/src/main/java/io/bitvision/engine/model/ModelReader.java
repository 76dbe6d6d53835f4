package io.bitvision.engine.model;

import io.bitvision.engine.graph.Graph;
import io.bitvision.engine.graph.Node;
import io.bitvision.engine.graph.Op;
import io.bitvision.engine.graph.OpType;
import io.bitvision.engine.tensor.TensorSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Reads model files. Checks, in order: size limit, magic, version, declared length (truncation), CRC-32, then
 * every record and shape. Each failure is a {@link ModelFormatException} subclass with a message that says
 * what and where; nothing is allocated from a length that was not first checked against the bytes present.
 */
public final class ModelReader {
    private final ReaderLimits limits;

    public ModelReader(ReaderLimits limits) {
        this.limits = limits;
    }

    public static Model read(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return new ModelReader(ReaderLimits.defaults()).read(in);
        }
    }

    public static Model fromBytes(byte[] bytes) throws ModelFormatException {
        return new ModelReader(ReaderLimits.defaults()).parse(bytes);
    }

    public Model read(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxFileBytes() + 1));
        return parse(bytes);
    }

    public Model parse(byte[] bytes) throws ModelFormatException {
        if (bytes.length > limits.maxFileBytes()) {
            throw new ModelLimitExceededException("model file exceeds the limit of " + limits.maxFileBytes() + " bytes");
        }
        int magicBytes = Math.min(bytes.length, ModelFormat.MAGIC.length);
        if (!Arrays.equals(bytes, 0, magicBytes, ModelFormat.MAGIC, 0, magicBytes)) {
            throw new BadMagicException("not a bitvision model: expected magic BVMF, found "
                    + hex(bytes, magicBytes));
        }
        if (bytes.length < ModelFormat.HEADER_BYTES + ModelFormat.CHECKSUM_BYTES) {
            throw new TruncatedModelException("model file is " + bytes.length + " bytes, shorter than its "
                    + (ModelFormat.HEADER_BYTES + ModelFormat.CHECKSUM_BYTES) + "-byte header and checksum");
        }
        int version = ((bytes[4] & 0xFF) << 8) | (bytes[5] & 0xFF);
        if (version < ModelFormat.OLDEST_READABLE_VERSION || version > ModelFormat.VERSION) {
            throw new UnsupportedVersionException("model format version " + version + " is not supported by this reader"
                    + " (supports " + ModelFormat.OLDEST_READABLE_VERSION + " to " + ModelFormat.VERSION + ")");
        }
        long payloadLength = ((bytes[8] & 0xFFL) << 24) | ((bytes[9] & 0xFFL) << 16) | ((bytes[10] & 0xFFL) << 8) | (bytes[11] & 0xFFL);
        long expectedSize = ModelFormat.HEADER_BYTES + payloadLength + ModelFormat.CHECKSUM_BYTES;
        if (expectedSize > bytes.length) {
            throw new TruncatedModelException("model file is truncated: header declares " + expectedSize
                    + " bytes, file has " + bytes.length);
        }
        if (expectedSize < bytes.length) {
            throw new InvalidModelException("model file has " + (bytes.length - expectedSize)
                    + " bytes after its checksum");
        }
        int payloadEnd = (int) (ModelFormat.HEADER_BYTES + payloadLength);
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, payloadEnd);
        int stored = ((bytes[payloadEnd] & 0xFF) << 24) | ((bytes[payloadEnd + 1] & 0xFF) << 16)
                | ((bytes[payloadEnd + 2] & 0xFF) << 8) | (bytes[payloadEnd + 3] & 0xFF);
        if ((int) crc.getValue() != stored) {
            throw new ChecksumMismatchException(String.format(
                    "model checksum mismatch: stored %08x, computed %08x: the file is damaged", stored, (int) crc.getValue()));
        }
        int flags = ((bytes[6] & 0xFF) << 8) | (bytes[7] & 0xFF);
        if (flags != 0) {
            throw new InvalidModelException("unknown header flags " + flags);
        }
        return parsePayload(new ModelInput(bytes, ModelFormat.HEADER_BYTES, payloadEnd), version);
    }

    private Model parsePayload(ModelInput in, int formatVersion) throws ModelFormatException {
        String name = in.utf("model name");
        String version = in.utf("model version");
        Map<String, String> metadata = formatVersion >= ModelFormat.FIRST_VERSION_WITH_METADATA ? readMetadata(in) : Map.of();
        in.context("input");
        int inputType = in.u8("input type");
        if (inputType != ModelFormat.INPUT_TYPE_BITS) {
            throw in.invalid("input type " + inputType + " is not a bit tensor");
        }
        int bits = in.u8("input bits");
        int channels = in.u16("input channels");
        int height = in.u16("input height");
        int width = in.u16("input width");
        if (bits < 1 || bits > TensorSpec.MAX_BITS || channels < 1 || height < 1 || width < 1) {
            throw in.invalid("input " + bits + "-bit " + channels + "x" + height + "x" + width + " is not a valid tensor");
        }
        TensorSpec input = TensorSpec.bits(bits, channels, height, width);
        checkTensor(input, "input");

        int nodeCount = in.u16("node count");
        if (nodeCount > limits.maxNodes()) {
            throw new ModelLimitExceededException("model has " + nodeCount + " nodes, over the limit of " + limits.maxNodes());
        }
        List<Node> nodes = new ArrayList<>(Math.min(nodeCount, in.remaining()));
        for (int i = 0; i < nodeCount; i++) {
            in.context("node " + i);
            int typeId = in.u8("operator type");
            OpType type = OpType.byId(typeId);
            if (type == null) {
                throw in.invalid("unknown operator type " + typeId);
            }
            in.context("node " + i + " (" + type + ")");
            int inputCount = in.u8("input count");
            int[] inputs = new int[inputCount];
            for (int k = 0; k < inputCount; k++) {
                inputs[k] = in.u16("input id");
                if (inputs[k] > i) {
                    throw in.invalid("input " + inputs[k] + " is not an earlier tensor");
                }
            }
            Op op = OpCodec.read(type, in, limits);
            nodes.add(new Node(op, inputs));
        }
        in.context("outputs");
        int outputCount = in.u16("output count");
        if (outputCount == 0) {
            throw in.invalid("model has no outputs");
        }
        int[] outputs = new int[outputCount];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < outputCount; i++) {
            outputs[i] = in.u16("output id");
            if (outputs[i] > nodeCount) {
                throw in.invalid("output " + outputs[i] + " is not a tensor");
            }
            names.add(in.utf("output name"));
        }
        if (in.remaining() != 0) {
            throw in.invalid(in.remaining() + " unread bytes after the last record");
        }
        Graph graph;
        try {
            graph = new Graph(input, nodes, outputs, names);
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException("shapes do not fit: " + e.getMessage());
        }
        for (int t = 1; t < graph.tensorCount(); t++) {
            checkTensor(graph.spec(t), "tensor " + t + " (output of node " + (t - 1) + ")");
        }
        return new Model(name, version, graph, metadata);
    }

    private Map<String, String> readMetadata(ModelInput in) throws ModelFormatException {
        in.context("metadata");
        int count = in.u16("metadata count");
        if (count > limits.maxMetadataEntries()) {
            throw new ModelLimitExceededException("model has " + count + " metadata entries, over the limit of "
                    + limits.maxMetadataEntries());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            in.context("metadata entry " + i);
            String key = in.utf("key", limits.maxMetadataStringBytes());
            in.context("metadata entry " + i + " (" + key + ")");
            String value = in.utf("value", limits.maxMetadataStringBytes());
            if (metadata.putIfAbsent(key, value) != null) {
                throw in.invalid("duplicate metadata key '" + key + "'");
            }
        }
        return metadata;
    }

    private void checkTensor(TensorSpec spec, String what) throws ModelLimitExceededException {
        int largest = Math.max(spec.channels(), Math.max(spec.height(), spec.width()));
        if (largest > limits.maxDimension()) {
            throw new ModelLimitExceededException(what + " " + spec + " has a dimension over the limit of " + limits.maxDimension());
        }
        long bytes = ModelStats.storageBytesWithoutHalo(spec);
        if (bytes > limits.maxTensorBytes()) {
            throw new ModelLimitExceededException(what + " " + spec + " needs " + bytes
                    + " bytes, over the limit of " + limits.maxTensorBytes());
        }
    }

    private static String hex(byte[] bytes, int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sb.append(String.format("%02x", bytes[i] & 0xFF));
        }
        return count == 0 ? "an empty file" : sb.toString();
    }
}
