package io.bitvision.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bitvision.engine.post.CocoRle;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decodes Java-written records with Debian's python3-avro and an independent Python COCO RLE decoder
 * (src/test/python/decode_records.py) and compares every field, and every mask, with what Java wrote.
 */
class PythonDecoderTest {
    private static final Path SCRIPT = Path.of("src/test/python/decode_records.py");
    private static final Path SCHEMA_DIR = Path.of("src/main/avro");
    private static final String PYTHON = System.getProperty("bitvision.python", "/usr/bin/python3");
    private static final String INSTALL_HINT =
            "; the decoding test needs Debian's Python Avro: apt-get install python3-avro (CI installs it)";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @BeforeAll
    static void pythonAvroIsInstalled() throws Exception {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            fail(PYTHON + " not found" + INSTALL_HINT);
        }
        Process probe = new ProcessBuilder(PYTHON, "-c", "import avro.io, avro.schema").redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes());
        if (!probe.waitFor(30, TimeUnit.SECONDS) || probe.exitValue() != 0) {
            fail(PYTHON + " cannot import avro (" + output.strip() + ")" + INSTALL_HINT);
        }
    }

    @Test
    void pythonDecodesEveryRecordAndEveryMaskAsJavaWroteThem() throws Exception {
        SampleRecords samples = new SampleRecords(20240607);
        List<SpecificRecord> records = new ArrayList<>();
        List<List<byte[]>> masksPerRecord = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            boolean fullFrame = i % 20 == 0;
            SampleRecords.Frame frame = fullFrame
                    ? samples.frame(576, 768)
                    : samples.frame(1 + i % 7 * 9, 1 + i * 37 % 80);
            records.add(frame.record());
            masksPerRecord.add(frame.masks());
        }
        for (int i = 0; i < 15; i++) {
            for (SpecificRecord record : List.of(samples.faceMatch(), samples.watchlistUpdate(), samples.cameraHealth(),
                    samples.deadLetter(), samples.cameraActivity(), samples.framePreview())) {
                records.add(record);
                masksPerRecord.add(List.of());
            }
        }

        List<JsonNode> decoded = decodeWithPython(writeMessages(records));

        assertThat(decoded).hasSameSizeAs(records);
        for (int i = 0; i < records.size(); i++) {
            SpecificRecord record = records.get(i);
            JsonNode line = decoded.get(i);
            assertThat(line.get("schema").textValue()).isEqualTo(record.getSchema().getFullName());
            assertThat(line.get("fingerprint").textValue())
                    .isEqualTo(AvroRecords.hex(AvroRecords.fingerprint(record.getSchema())));
            DecodedJson.assertMatches(record.getSchema(), record, line.get("record"));
            assertMasksMatch(record, masksPerRecord.get(i), line.get("masks"));
        }
        assertThat(records.stream().filter(FrameMasks.class::isInstance).mapToInt(r -> ((FrameMasks) r).getInstances().size())
                .sum()).as("instances checked").isGreaterThan(100);
    }

    private static void assertMasksMatch(SpecificRecord record, List<byte[]> masks, JsonNode decodedMasks) throws Exception {
        assertThat(decodedMasks.size()).isEqualTo(masks.size());
        if (!(record instanceof FrameMasks frame)) {
            return;
        }
        for (int j = 0; j < masks.size(); j++) {
            Instance instance = frame.getInstances().get(j);
            JsonNode decoded = decodedMasks.get(j);
            int[] counts = CocoRle.decompress(instance.getRle().getCounts());
            int[] javaBox = CocoRle.bbox(counts, frame.getFrameHeight(), frame.getFrameWidth());
            String where = "instance " + j + " of frame " + frame.getFrameSeq();

            assertThat(decoded.get("area").longValue()).as("area of %s", where).isEqualTo(CocoRle.area(counts))
                    .isEqualTo(instance.getArea());
            assertThat(ints(decoded.get("bbox"))).as("bbox of %s", where).containsExactly(javaBox);
            assertThat(decoded.get("sha256").textValue()).as("mask of %s", where).isEqualTo(sha256(masks.get(j)));
        }
    }

    private Path writeMessages(List<SpecificRecord> records) throws IOException {
        Path file = work.resolve("records.bin");
        try (OutputStream stream = Files.newOutputStream(file); DataOutputStream out = new DataOutputStream(stream)) {
            for (SpecificRecord record : records) {
                byte[] message = AvroRecords.encode(record);
                out.writeInt(message.length);
                out.write(message);
            }
        }
        return file;
    }

    private List<JsonNode> decodeWithPython(Path messages) throws Exception {
        List<String> command = new ArrayList<>(List.of(PYTHON, SCRIPT.toString(), messages.toString()));
        try (Stream<Path> schemas = Files.list(SCHEMA_DIR)) {
            schemas.filter(p -> p.toString().endsWith(".avsc")).sorted().forEach(p -> command.add(p.toString()));
        }
        Path stdout = work.resolve("stdout.jsonl");
        Path stderr = work.resolve("stderr.txt");
        Process python = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!python.waitFor(120, TimeUnit.SECONDS)) {
            python.destroyForcibly();
            fail("decode_records.py did not finish in 120 s");
        }
        assertThat(python.exitValue()).as("decode_records.py failed: %s", Files.readString(stderr)).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(stdout)) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }

    private static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).intValue();
        }
        return values;
    }

    /** Of the row-major mask as 0/1 bytes, as the Python decoder hashes its own. */
    private static String sha256(byte[] mask) throws Exception {
        byte[] normalised = new byte[mask.length];
        for (int i = 0; i < mask.length; i++) {
            normalised[i] = (byte) (mask[i] != 0 ? 1 : 0);
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(normalised));
    }
}
