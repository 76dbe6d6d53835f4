package io.bitvision.cli.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Another detector's boxes, in the JSON lines the person teacher writes (training/teacher/detect-persons.mjs):
 * {@code {"frame": i, "boxes": [[x, y, w, h, score], ...]}} per line, optionally gzipped. Scored by the same
 * {@link BoxMatcher} as our model, so the two figures are comparable.
 */
public final class TeacherBoxes {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TeacherBoxes() {}

    /** Boxes by frame, keeping those scoring at least {@code minScore}. */
    public static Map<Integer, List<BoxMatcher.Detection>> read(Path file, double minScore) throws IOException {
        Map<Integer, List<BoxMatcher.Detection>> byFrame = new HashMap<>();
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = lines.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode record = MAPPER.readTree(line);
                if (!record.path("frame").canConvertToInt() || !record.path("boxes").isArray()) {
                    throw new IOException(file + " line " + number + ": not {\"frame\": i, \"boxes\": [...]}");
                }
                List<BoxMatcher.Detection> boxes = new ArrayList<>();
                for (JsonNode b : record.get("boxes")) {
                    if (b.size() != 5) {
                        throw new IOException(file + " line " + number + ": a box is [x, y, w, h, score], got " + b);
                    }
                    float score = (float) b.get(4).asDouble();
                    if (score >= minScore) {
                        boxes.add(new BoxMatcher.Detection(new float[] {(float) b.get(0).asDouble(),
                                (float) b.get(1).asDouble(), (float) b.get(2).asDouble(), (float) b.get(3).asDouble()}, score));
                    }
                }
                byFrame.put(record.get("frame").asInt(), boxes);
            }
        }
        return byFrame;
    }
}
