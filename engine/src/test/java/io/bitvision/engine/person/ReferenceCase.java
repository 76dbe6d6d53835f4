package io.bitvision.engine.person;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One fixture image of training/'s reference values (expected.txt, written by bitvision_train.person.fixtures). */
record ReferenceCase(Path dir, String name, int frameHeight, int frameWidth, String inputFile,
                     Map<Integer, String> tensorDigests, Map<String, String> floatFiles, List<Instance> instances) {

    record Instance(float score, int[] bbox, long area, String rle) {}

    byte[] input() throws IOException {
        return PersonModelExactnessTest.gunzip(dir.resolve(inputFile));
    }

    float[] floats(String output) throws IOException {
        byte[] raw = PersonModelExactnessTest.gunzip(dir.resolve(floatFiles.get(output)));
        float[] out = new float[raw.length / 4];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    @Override
    public String toString() {
        return name;
    }

    static List<ReferenceCase> parse(Path dir) throws IOException {
        List<ReferenceCase> cases = new ArrayList<>();
        String name = null;
        String input = null;
        int height = 0;
        int width = 0;
        Map<Integer, String> digests = new LinkedHashMap<>();
        Map<String, String> floats = new LinkedHashMap<>();
        List<Instance> instances = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("expected.txt"))) {
            String[] f = line.split(" ");
            switch (f[0]) {
                case "case" -> {
                    name = f[1];
                    height = Integer.parseInt(f[2]);
                    width = Integer.parseInt(f[3]);
                    input = f[4];
                    digests = new LinkedHashMap<>();
                    floats = new LinkedHashMap<>();
                    instances = new ArrayList<>();
                }
                case "tensor" -> digests.put(Integer.parseInt(f[1]), f[3]);
                case "floats" -> floats.put(f[1], f[2]);
                case "instance" -> instances.add(new Instance(Float.parseFloat(f[1]),
                        new int[] {Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]), Integer.parseInt(f[5])},
                        Long.parseLong(f[6]), f[7]));
                case "end" -> cases.add(new ReferenceCase(dir, name, height, width, input, digests, floats, instances));
                default -> { }
            }
        }
        return cases;
    }
}
