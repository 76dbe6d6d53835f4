package io.bitvision.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitvision.operators.faces.Embeddings;
import io.bitvision.operators.faces.WatchlistOrder;
import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.WatchlistOp;
import io.bitvision.schemas.WatchlistUpdate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A watchlist kept in a local JSON file, for {@code enroll --watchlist} and {@code faces --watchlist}: the records
 * the job reads from its watchlist topic ({@link WatchlistUpdate}), as
 *
 * <pre>{@code
 * {"format": "bitvision-watchlist-1",
 *  "entries": [{"identity_id": "alice", "op": "UPSERT", "version": 1700000000000, "model_id": "bvm:face:1",
 *               "display_name": "Alice" | null, "updated_time_ms": 1700000000000, "embeddings": [[0.01, ...], ...]}]}
 * }</pre>
 *
 * <p>Reading applies the updates as the job's broadcast state does: per identity the one that supersedes the others
 * (higher version; at equal versions a delete beats an upsert, then the larger Avro encoding), deletes kept as
 * tombstones so a late lower-version upsert cannot bring an identity back. A file holds one entry per identity
 * when written here; one edited by hand may hold several, and reading gives the same state whatever their order.
 * Not for concurrent writers: the last writer wins.
 */
final class WatchlistFile {
    static final String FORMAT = "bitvision-watchlist-1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("identity_id", "op", "version", "model_id", "display_name",
            "updated_time_ms", "embeddings");

    /** The file is not a watchlist this version reads; the message says where and what. */
    static final class MalformedWatchlistException extends IOException {
        private static final long serialVersionUID = 1L;

        MalformedWatchlistException(Path file, String why) {
            super("watchlist " + file + ": " + why);
        }

        MalformedWatchlistException(Path file, String why, Throwable cause) {
            super("watchlist " + file + ": " + why, cause);
        }
    }

    /** The best watchlist entry for one embedding; {@code similarity} null when no entry was comparable. */
    record Match(WatchlistUpdate entry, Float similarity) {
        static final Match NONE = new Match(null, null);

        /** The entry when its similarity reaches {@code threshold} (compared in float, as the job does), else null. */
        WatchlistUpdate passing(double threshold) {
            return similarity != null && similarity >= (float) threshold ? entry : null;
        }
    }

    private WatchlistFile() {}

    /**
     * The state of the watchlist in {@code file}: identity to its winning update (deletes included), sorted by
     * identity.
     *
     * @throws MalformedWatchlistException when the file is not a watchlist (bad JSON, format, field or value)
     * @throws java.nio.file.NoSuchFileException when there is no such file
     */
    static Map<String, WatchlistUpdate> read(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new MalformedWatchlistException(file, "not JSON: " + e.getOriginalMessage(), e);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new MalformedWatchlistException(file, "not UTF-8 text", e);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedWatchlistException(file, "expected a JSON object {\"format\": \"" + FORMAT
                    + "\", \"entries\": [...]}");
        }
        JsonNode format = root.get("format");
        if (format == null || !format.isTextual() || !format.asText().equals(FORMAT)) {
            throw new MalformedWatchlistException(file, "\"format\" must be \"" + FORMAT + "\", is "
                    + (format == null ? "missing" : format));
        }
        JsonNode entries = root.get("entries");
        if (entries == null || !entries.isArray()) {
            throw new MalformedWatchlistException(file, "\"entries\" must be an array");
        }
        Map<String, WatchlistUpdate> state = new TreeMap<>();
        for (int i = 0; i < entries.size(); i++) {
            WatchlistUpdate update;
            try {
                update = fromJson(entries.get(i));
            } catch (IllegalArgumentException e) {
                throw new MalformedWatchlistException(file, "entry " + i + ": " + e.getMessage(), e);
            }
            apply(state, update);
        }
        return state;
    }

    /** {@link #read}, or an empty watchlist when the file does not exist yet. */
    static Map<String, WatchlistUpdate> readOrEmpty(Path file) throws IOException {
        return Files.exists(file) ? read(file) : new TreeMap<>();
    }

    /** Writes the entries, sorted by identity, through a temporary file moved over {@code file}. */
    static void write(Path file, Collection<WatchlistUpdate> entries) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        ArrayNode array = root.putArray("entries");
        entries.stream().sorted(Comparator.comparing(WatchlistUpdate::getIdentityId))
                .forEach(update -> array.add(toJson(update)));
        Path absolute = file.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path temp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp");
        try {
            Files.writeString(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
            try {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Applies {@code update} to {@code state} as the job's broadcast state does.
     *
     * @return whether it was applied (false: the state already holds an update that supersedes it)
     */
    static boolean apply(Map<String, WatchlistUpdate> state, WatchlistUpdate update) {
        if (WatchlistOrder.supersedes(update, state.get(update.getIdentityId()))) {
            state.put(update.getIdentityId(), update);
            return true;
        }
        return false;
    }

    /**
     * The job's match of one embedding (FaceMatchFunction): the best cosine over every embedding of every UPSERT
     * entry enrolled with {@code modelId}; deletes and other models' entries are not compared.
     */
    static Match best(Collection<WatchlistUpdate> watchlist, String modelId, float[] embedding) {
        WatchlistUpdate best = null;
        float bestSimilarity = -2f;
        for (WatchlistUpdate entry : watchlist) {
            if (entry.getOp() != WatchlistOp.UPSERT || !entry.getModelId().equals(modelId)) {
                continue;
            }
            for (List<Float> enrolled : entry.getEmbeddings()) {
                float similarity = Embeddings.cosine(embedding, enrolled);
                if (similarity > bestSimilarity) {
                    bestSimilarity = similarity;
                    best = entry;
                }
            }
        }
        return best == null ? Match.NONE : new Match(best, bestSimilarity);
    }

    /** An update of one identity, {@code updated_time_ms} now (to the millisecond, as Avro keeps it). */
    static WatchlistUpdate upsert(String identityId, long version, List<float[]> embeddings, String modelId,
                                  String displayName) {
        List<List<Float>> lists = new ArrayList<>(embeddings.size());
        for (float[] embedding : embeddings) {
            List<Float> list = new ArrayList<>(embedding.length);
            for (float v : embedding) {
                list.add(v);
            }
            lists.add(list);
        }
        return WatchlistUpdate.newBuilder().setIdentityId(identityId).setOp(WatchlistOp.UPSERT).setVersion(version)
                .setEmbeddings(lists).setModelId(modelId).setDisplayName(displayName)
                .setUpdatedTimeMs(Instant.ofEpochMilli(System.currentTimeMillis())).build();
    }

    /** A delete of one identity: no embeddings, no model (it removes the identity whatever model enrolled it). */
    static WatchlistUpdate delete(String identityId, long version) {
        return WatchlistUpdate.newBuilder().setIdentityId(identityId).setOp(WatchlistOp.DELETE).setVersion(version)
                .setEmbeddings(List.of()).setModelId("").setDisplayName(null)
                .setUpdatedTimeMs(Instant.ofEpochMilli(System.currentTimeMillis())).build();
    }

    static ObjectNode toJson(WatchlistUpdate update) {
        ObjectNode node = JSON.createObjectNode();
        node.put("identity_id", update.getIdentityId());
        node.put("op", update.getOp().name());
        node.put("version", update.getVersion());
        node.put("model_id", update.getModelId());
        if (update.getDisplayName() == null) {
            node.putNull("display_name");
        } else {
            node.put("display_name", update.getDisplayName());
        }
        node.put("updated_time_ms", update.getUpdatedTimeMs().toEpochMilli());
        ArrayNode embeddings = node.putArray("embeddings");
        for (List<Float> embedding : update.getEmbeddings()) {
            ArrayNode values = embeddings.addArray();
            for (Float v : embedding) {
                values.add(v.floatValue());
            }
        }
        return node;
    }

    /** @throws IllegalArgumentException naming the field that is missing, of the wrong type or out of range */
    static WatchlistUpdate fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("expected an object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("unknown field \"" + name + "\" (fields: " + new TreeSet<>(FIELDS) + ")");
            }
        }
        String identity = text(node, "identity_id", false);
        if (identity.isBlank()) {
            throw new IllegalArgumentException("\"identity_id\" is blank");
        }
        String where = "identity '" + identity + "': ";
        WatchlistOp op;
        try {
            op = WatchlistOp.valueOf(text(node, "op", false));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + "\"op\" must be UPSERT or DELETE, is " + node.get("op"));
        }
        long version = integer(node, "version", where);
        long updated = integer(node, "updated_time_ms", where);
        String model = text(node, "model_id", false);
        String name = text(node, "display_name", true);
        JsonNode embeddings = node.get("embeddings");
        if (embeddings == null || !embeddings.isArray()) {
            throw new IllegalArgumentException(where + "\"embeddings\" must be an array of arrays of numbers");
        }
        List<List<Float>> lists = new ArrayList<>(embeddings.size());
        int length = -1;
        for (JsonNode embedding : embeddings) {
            if (!embedding.isArray() || embedding.isEmpty()) {
                throw new IllegalArgumentException(where + "each embedding must be a non-empty array of numbers");
            }
            if (length >= 0 && embedding.size() != length) {
                throw new IllegalArgumentException(where + "embeddings of different lengths (" + length + " and "
                        + embedding.size() + ")");
            }
            length = embedding.size();
            List<Float> values = new ArrayList<>(length);
            for (JsonNode v : embedding) {
                if (!v.isNumber() || !Float.isFinite(v.floatValue())) {
                    throw new IllegalArgumentException(where + "embedding value " + v + " is not a finite number");
                }
                values.add(v.floatValue());
            }
            lists.add(values);
        }
        if (op == WatchlistOp.UPSERT && (lists.isEmpty() || model.isEmpty())) {
            throw new IllegalArgumentException(where + "an UPSERT needs at least one embedding and a model_id");
        }
        if (op == WatchlistOp.DELETE && !lists.isEmpty()) {
            throw new IllegalArgumentException(where + "a DELETE has no embeddings");
        }
        return WatchlistUpdate.newBuilder().setIdentityId(identity).setOp(op).setVersion(version).setEmbeddings(lists)
                .setModelId(model).setDisplayName(name).setUpdatedTimeMs(Instant.ofEpochMilli(updated)).build();
    }

    private static String text(JsonNode node, String field, boolean nullable) {
        JsonNode value = node.get(field);
        if (nullable && (value == null || value.isNull())) {
            return null;
        }
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a string, is " + (value == null ? "missing" : value));
        }
        return value.asText();
    }

    private static long integer(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new IllegalArgumentException(where + "\"" + field + "\" must be a whole number, is "
                    + (value == null ? "missing" : value));
        }
        return value.asLong();
    }

    /** Identities whose winning update is an upsert, as the job would match them. */
    static List<WatchlistUpdate> active(Map<String, WatchlistUpdate> state) {
        return state.values().stream().filter(u -> u.getOp() == WatchlistOp.UPSERT).toList();
    }

    /** Counts for a summary line: identities enrolled (upserts) and deleted (tombstones). */
    static Map<String, Integer> counts(Map<String, WatchlistUpdate> state) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("enrolled", (int) state.values().stream().filter(u -> u.getOp() == WatchlistOp.UPSERT).count());
        counts.put("deleted", (int) state.values().stream().filter(u -> u.getOp() == WatchlistOp.DELETE).count());
        return counts;
    }
}
