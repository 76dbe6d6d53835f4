package io.bitvision.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.bitvision.operators.faces.Embeddings;
import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.WatchlistOp;
import io.bitvision.schemas.WatchlistUpdate;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local watchlist file: round trip, the job's version order, the job's matching, malformed files. */
class WatchlistFileTest {
    @TempDir
    Path dir;

    private static float[] unit(int dims, long seed) {
        Random random = new Random(seed);
        float[] v = new float[dims];
        for (int i = 0; i < dims; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return Embeddings.normalise(v);
    }

    private static WatchlistUpdate upsert(String id, long version, String model, float[]... embeddings) {
        return WatchlistFile.upsert(id, version, List.of(embeddings), model, id.toUpperCase());
    }

    @Test
    void entriesRoundTripExactlyAndTheFileIsSortedJson() throws Exception {
        Path file = dir.resolve("sub/watchlist.json");
        WatchlistUpdate bob = upsert("bob", 7, "bvm:face:1", unit(128, 1), unit(128, 2));
        WatchlistUpdate alice = WatchlistFile.upsert("alice", 3, List.of(unit(128, 3)), "bvm:face:1", null);
        WatchlistUpdate carol = WatchlistFile.delete("carol", 9);

        WatchlistFile.write(file, List.of(bob, carol, alice));
        Map<String, WatchlistUpdate> read = WatchlistFile.read(file);

        assertThat(read.keySet()).containsExactly("alice", "bob", "carol");
        assertThat(read.get("bob")).isEqualTo(bob);
        assertThat(read.get("alice")).isEqualTo(alice);
        assertThat(read.get("alice").getDisplayName()).isNull();
        assertThat(read.get("carol")).isEqualTo(carol);
        // Floats survive exactly: the same Avro bytes as the record that would be published.
        assertThat(AvroRecords.encode(read.get("bob"))).isEqualTo(AvroRecords.encode(bob));
        String json = Files.readString(file);
        assertThat(json).contains("\"format\" : \"" + WatchlistFile.FORMAT + "\"");
        assertThat(json.indexOf("\"alice\"")).isLessThan(json.indexOf("\"bob\""));
        assertThat(dir.resolve("sub")).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void aMissingFileIsEmptyForWritersAndAnErrorForReaders() throws Exception {
        assertThat(WatchlistFile.readOrEmpty(dir.resolve("none.json"))).isEmpty();
        assertThatThrownBy(() -> WatchlistFile.read(dir.resolve("none.json"))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void aLowerVersionUpsertAfterADeleteIsIgnoredAndOrderOfEntriesDoesNotMatter() throws Exception {
        WatchlistUpdate enrolled = upsert("alice", 5, "m", unit(8, 1));
        WatchlistUpdate deleted = WatchlistFile.delete("alice", 6);
        WatchlistUpdate late = upsert("alice", 4, "m", unit(8, 2));
        WatchlistUpdate reenrolled = upsert("alice", 7, "m", unit(8, 3));

        Map<String, WatchlistUpdate> state = new TreeMap<>();
        assertThat(WatchlistFile.apply(state, enrolled)).isTrue();
        assertThat(WatchlistFile.apply(state, deleted)).isTrue();
        assertThat(WatchlistFile.apply(state, late)).as("a late, lower-version upsert").isFalse();
        assertThat(state.get("alice")).isEqualTo(deleted);
        assertThat(WatchlistFile.active(state)).isEmpty();
        assertThat(WatchlistFile.apply(state, deleted)).as("the same update again").isFalse();
        assertThat(WatchlistFile.apply(state, upsert("alice", 6, "m", unit(8, 4)))).as("equal version: delete wins")
                .isFalse();
        assertThat(WatchlistFile.apply(state, reenrolled)).isTrue();
        assertThat(WatchlistFile.active(state)).containsExactly(reenrolled);

        // A hand-edited file with every update of the identity, in any order, reads as the same state.
        List<WatchlistUpdate> all = new ArrayList<>(List.of(enrolled, deleted, late, reenrolled));
        for (long seed = 0; seed < 6; seed++) {
            Collections.shuffle(all, new Random(seed));
            Path file = dir.resolve("log-" + seed + ".json");
            writeRaw(file, all);
            assertThat(WatchlistFile.read(file)).containsExactly(Map.entry("alice", reenrolled));
        }
        List<WatchlistUpdate> withoutReenrol = new ArrayList<>(List.of(late, deleted, enrolled));
        writeRaw(dir.resolve("deleted.json"), withoutReenrol);
        assertThat(WatchlistFile.read(dir.resolve("deleted.json"))).containsExactly(Map.entry("alice", deleted));
    }

    /** Several entries per identity, as write() never makes them: one per update, in the given order. */
    private static void writeRaw(Path file, List<WatchlistUpdate> updates) throws Exception {
        StringBuilder json = new StringBuilder("{\"format\": \"" + WatchlistFile.FORMAT + "\", \"entries\": [");
        for (int i = 0; i < updates.size(); i++) {
            json.append(i == 0 ? "" : ",").append(WatchlistFile.toJson(updates.get(i)));
        }
        Files.writeString(file, json.append("]}").toString());
    }

    @Test
    void matchingIsTheJobsBestCosineOverUpsertsOfTheSameModel() {
        float[] face = unit(16, 10);
        float[] near = face.clone();
        near[0] += 0.05f;
        near = Embeddings.normalise(near);
        List<WatchlistUpdate> watchlist = List.of(
                upsert("alice", 1, "model-a", unit(16, 11), near),
                upsert("bob", 1, "model-a", unit(16, 12)),
                upsert("carol", 1, "model-b", face));

        WatchlistFile.Match match = WatchlistFile.best(watchlist, "model-a", face);

        assertThat(match.entry().getIdentityId()).isEqualTo("alice");
        assertThat(match.similarity()).isEqualTo(Embeddings.cosine(face, watchlist.get(0).getEmbeddings().get(1)));
        assertThat(match.similarity()).isGreaterThan(0.98f).isLessThan(1f);
        assertThat(match.passing(0.98)).isSameAs(watchlist.get(0));
        assertThat(match.passing(match.similarity())).as("at the threshold passes").isSameAs(watchlist.get(0));
        assertThat(match.passing(0.999)).isNull();
        assertThat(WatchlistFile.best(watchlist, "model-b", face).similarity()).isCloseTo(1f, within(1e-6f));
        assertThat(WatchlistFile.best(watchlist, "model-c", face)).as("no entry of this model")
                .isEqualTo(WatchlistFile.Match.NONE);
        assertThat(WatchlistFile.best(List.of(), "model-a", face).similarity()).isNull();
        assertThat(WatchlistFile.best(List.of(WatchlistFile.delete("alice", 2)), "", face).similarity())
                .as("deletes are not compared").isNull();
    }

    @Test
    void aMalformedFileIsATypedErrorThatSaysWhere() throws Exception {
        String ok = "{\"identity_id\": \"a\", \"op\": \"UPSERT\", \"version\": 1, \"model_id\": \"m\", "
                + "\"display_name\": null, \"updated_time_ms\": 5, \"embeddings\": [[0.6, 0.8]]}";
        Map<String, String> cases = new TreeMap<>(Map.of(
                "not json {", "not JSON",
                "[]", "expected a JSON object",
                "{\"format\": \"other\", \"entries\": []}", "\"format\" must be \"bitvision-watchlist-1\"",
                "{\"format\": \"bitvision-watchlist-1\"}", "\"entries\" must be an array",
                entries(ok.replace("\"UPSERT\"", "\"ADD\"")), "entry 0: identity 'a': \"op\" must be UPSERT or DELETE",
                entries(ok.replace("\"version\": 1", "\"version\": \"1\"")), "\"version\" must be a whole number",
                entries(ok.replace("[[0.6, 0.8]]", "[[0.6, \"x\"]]")), "is not a finite number",
                entries(ok.replace("[[0.6, 0.8]]", "[]")), "an UPSERT needs at least one embedding",
                entries(ok.replace("\"model_id\"", "\"modelid\"")), "unknown field \"modelid\"",
                entries(ok + ", {\"op\": \"DELETE\"}"), "entry 1: \"identity_id\" must be a string"));
        cases.put(entries(ok.replace("[[0.6, 0.8]]", "[[0.6, 0.8], [1.0]]")), "embeddings of different lengths");
        cases.put(entries(ok.replace("\"UPSERT\"", "\"DELETE\"")), "a DELETE has no embeddings");
        int n = 0;
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path file = dir.resolve("bad-" + n++ + ".json");
            Files.writeString(file, c.getKey());
            assertThatThrownBy(() -> WatchlistFile.read(file)).as(c.getKey())
                    .isInstanceOf(WatchlistFile.MalformedWatchlistException.class)
                    .hasMessageStartingWith("watchlist " + file + ": ")
                    .hasMessageContaining(c.getValue());
        }
        Path good = dir.resolve("good.json");
        Files.writeString(good, entries(ok));
        assertThat(WatchlistFile.read(good).get("a").getOp()).isEqualTo(WatchlistOp.UPSERT);
    }

    private static String entries(String body) {
        return "{\"format\": \"bitvision-watchlist-1\", \"entries\": [" + body + "]}";
    }
}
