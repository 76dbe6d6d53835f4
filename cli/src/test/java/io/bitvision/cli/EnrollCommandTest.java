package io.bitvision.cli;

import static io.bitvision.cli.FaceFixtures.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.bitvision.operators.faces.FaceEmbedder;
import io.bitvision.schemas.WatchlistOp;
import io.bitvision.schemas.WatchlistUpdate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code enroll} into a watchlist file. The tests marked "shipped models" run models/face-detector-v2.bvm and
 * models/face-embedder-v1.bvm on Megamind.avi frames and fail without them.
 */
class EnrollCommandTest {
    @TempDir
    Path dir;

    /** Shipped models. */
    @Test
    void faceIndexEnrollsTheNextLargestFaceAndAnIndexBeyondTheFacesIsRefused() throws Exception {
        Map<Integer, Path> frames = FaceFixtures.megamind(dir, FaceFixtures.ROXANNE_WITH_ANOTHER);
        Path frame = frames.get(FaceFixtures.ROXANNE_WITH_ANOTHER);
        Path watchlist = dir.resolve("watchlist.json");

        CliRun second = CliRun.of("enroll", concat(FaceFixtures.models(), "--id", "other", "--image", frame.toString(),
                "--face-index", "1", "--watchlist", watchlist.toString()));

        assertThat(second.status()).as(second.err()).isZero();
        assertThat(second.out()).contains(frame + ": face 0: [").contains(frame + ": face 1: [")
                .contains("<- enrolled").contains("enrolling face 1: box [");
        String line = second.out().lines().filter(l -> l.contains("enrolling face 1")).findFirst().orElseThrow();
        float x = Float.parseFloat(line.substring(line.indexOf("box [") + 5).split(", ")[0]);
        assertThat(x).as("not Roxanne, the largest face at x 209").isNotCloseTo(209f, within(25f));

        CliRun beyond = CliRun.of("enroll", concat(FaceFixtures.models(), "--id", "nobody", "--image", frame.toString(),
                "--face-index", "40", "--watchlist", watchlist.toString()));
        assertThat(beyond.status()).isEqualTo(1);
        assertThat(beyond.err()).contains("--face-index 40").contains("numbered from 0, largest first")
                .contains("nothing enrolled");
        assertThat(WatchlistFile.read(watchlist)).containsOnlyKeys("other");
    }

    /** Shipped models. */
    @Test
    void enrollsTheLargestFaceOfEachImageWithTheEmbeddersModelIdAndNeverPrintsEmbeddings() throws Exception {
        Map<Integer, Path> frames = FaceFixtures.megamind(dir, FaceFixtures.ROXANNE_WITH_ANOTHER, 154);
        Path watchlist = dir.resolve("watchlist.json");
        FaceEmbedder embedder = FaceModels.embedder(FaceFixtures.EMBEDDER);
        long before = System.currentTimeMillis();

        CliRun run = CliRun.of("enroll", concat(FaceFixtures.models(), "--id", "roxanne", "--name",
                "Roxanne Ritchi", "--image", frames.get(2).toString(), "--image", frames.get(154).toString(),
                "--watchlist", watchlist.toString()));

        assertThat(run.status()).as(run.err()).isZero();
        WatchlistUpdate entry = WatchlistFile.read(watchlist).get("roxanne");
        assertThat(entry.getOp()).isEqualTo(WatchlistOp.UPSERT);
        assertThat(entry.getDisplayName()).isEqualTo("Roxanne Ritchi");
        assertThat(entry.getModelId()).isEqualTo(embedder.id());
        assertThat(entry.getVersion()).as("default version: now in ms").isBetween(before, System.currentTimeMillis());
        assertThat(entry.getEmbeddings()).hasSize(2);
        for (List<Float> embedding : entry.getEmbeddings()) {
            double norm = 0;
            for (float v : embedding) {
                norm += (double) v * v;
            }
            assertThat(Math.sqrt(norm)).as("L2-normalised").isCloseTo(1.0, within(1e-4));
        }
        // Frame 2 has Roxanne (127x161 px at x 209 for the teacher) and a smaller face: hers is enrolled, and said so.
        assertThat(run.out()).contains(frames.get(2) + ": ").contains(" faces, enrolling the largest: box [");
        String box = run.out().lines().filter(l -> l.startsWith(frames.get(2).toString()) && l.contains("enrolling"))
                .findFirst().orElseThrow();
        String[] xywh = box.substring(box.indexOf("box [") + 5, box.indexOf(']')).split(", ");
        assertThat(Float.parseFloat(xywh[0])).as(box).isCloseTo(209f, within(25f));
        assertThat(Float.parseFloat(xywh[2])).as(box).isGreaterThan(90f);
        assertThat(run.out()).contains("UPSERT 'roxanne' (Roxanne Ritchi)").contains("2 embeddings").contains(embedder.id());
        for (int i = 0; i < 5; i++) {
            String value = Float.toString(entry.getEmbeddings().get(0).get(i));
            assertThat(run.out() + run.err()).as("embedding values are not printed").doesNotContain(value);
        }
    }

    /** Shipped models. */
    @Test
    void anImageWithoutAFaceEnrollsNothing() throws Exception {
        Path frame = FaceFixtures.megamind(dir, 154).get(154);
        Path blank = FaceFixtures.blank(dir, "wall.png");
        Path watchlist = dir.resolve("watchlist.json");

        CliRun run = CliRun.of("enroll", concat(FaceFixtures.models(), "--id", "x", "--image", frame.toString(),
                "--image", blank.toString(), "--watchlist", watchlist.toString()));

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains(blank + ": no face found").contains("nothing enrolled");
        assertThat(watchlist).doesNotExist();
    }

    /** Shipped models. */
    @Test
    void deleteWritesATombstoneWithAHigherVersionAndALowerVersionIsRefused() throws Exception {
        Path frame = FaceFixtures.megamind(dir, 154).get(154);
        Path watchlist = dir.resolve("watchlist.json");
        String[] enroll = concat(FaceFixtures.models(), "--id", "roxanne", "--image", frame.toString(),
                "--watchlist", watchlist.toString());
        assertThat(CliRun.of("enroll", concat(enroll, "--version", "100")).status()).isZero();
        assertThat(CliRun.of("enroll", "--id", "other", "--delete", "--version", "3", "--watchlist",
                watchlist.toString()).status()).isZero();

        CliRun delete = CliRun.of("enroll", "--id", "roxanne", "--delete", "--watchlist", watchlist.toString());

        assertThat(delete.status()).as(delete.err()).isZero();
        Map<String, WatchlistUpdate> state = WatchlistFile.read(watchlist);
        assertThat(state.get("roxanne").getOp()).isEqualTo(WatchlistOp.DELETE);
        assertThat(state.get("roxanne").getVersion()).isGreaterThan(100);
        assertThat(state.get("roxanne").getEmbeddings()).isEmpty();
        assertThat(WatchlistFile.active(state)).isEmpty();
        assertThat(delete.out()).contains("DELETE 'roxanne' version " + state.get("roxanne").getVersion());

        CliRun stale = CliRun.of("enroll", concat(enroll, "--version", "100"));
        assertThat(stale.status()).isEqualTo(1);
        assertThat(stale.err()).contains("holds 'roxanne' at version " + state.get("roxanne").getVersion())
                .contains("give a higher one");
        assertThat(stale.out()).as("refused before the models run").isEmpty();
        assertThat(WatchlistFile.read(watchlist)).isEqualTo(state);
    }

    @Test
    void badArgumentsAreUsageErrors() throws Exception {
        String wl = dir.resolve("w.json").toString();
        Map<String[], String> cases = Map.of(
                new String[] {"--image", "a.png", "--watchlist", wl}, "Missing required option: '--id=ID'",
                new String[] {"--id", "a", "--image", "a.png"}, "give one of --watchlist FILE and --bootstrap",
                new String[] {"--id", "a", "--image", "a.png", "--watchlist", wl, "--bootstrap", "h:1"}, "give one of",
                new String[] {"--id", "a", "--watchlist", wl}, "give at least one --image",
                new String[] {"--id", "a", "--delete", "--image", "a.png", "--watchlist", wl}, "--delete takes no --image",
                new String[] {"--id", "a", "--delete", "--watchlist", wl, "--topic", "t"}, "go with --bootstrap",
                new String[] {"--id", "a", "--delete", "--bootstrap", "h:1", "--producer-property", "acks=1"},
                "enroll sets it itself",
                new String[] {"--id", "a", "--delete", "--watchlist", wl, "--version", "soon"}, "Invalid value for option '--version'",
                new String[] {"--id", "a", "--delete", "--watchlist", wl, "--colour", "red"}, "'--colour'");
        for (Map.Entry<String[], String> c : cases.entrySet()) {
            CliRun run = CliRun.of("enroll", c.getKey());
            assertThat(run.status()).as(String.join(" ", c.getKey())).isEqualTo(2);
            assertThat(run.err()).contains(c.getValue()).contains("Usage: bitvision enroll");
        }
        assertThat(Path.of(wl)).doesNotExist();
    }

    @Test
    void missingModelsAndImagesAreClearErrors() throws Exception {
        assertThat(Path.of("models")).as("tests run in cli/, which has no models/").doesNotExist();
        Path image = FaceFixtures.blank(dir, "a.png");
        String wl = dir.resolve("w.json").toString();

        CliRun defaults = CliRun.of("enroll", "--id", "a", "--image", image.toString(), "--watchlist", wl);
        assertThat(defaults.status()).isEqualTo(1);
        assertThat(defaults.err()).contains("no face model: " + Path.of("models", "face-detector-v2.bvm").toAbsolutePath()
                + " not found").contains("--face-detector PATH");

        CliRun given = CliRun.of("enroll", "--id", "a", "--image", image.toString(), "--watchlist", wl,
                "--face-detector", dir.resolve("gone.bvm").toString());
        assertThat(given.status()).isEqualTo(1);
        assertThat(given.err()).contains("--face-detector " + dir.resolve("gone.bvm") + ": no such file");

        // A model that is not a face detector (the weak test embedder) is refused by its task.
        Path embedder = Path.of("..", "engine", "src", "test", "resources", "face-v1", "face.bvm");
        CliRun wrong = CliRun.of("enroll", "--id", "a", "--image", image.toString(), "--watchlist", wl,
                "--face-detector", embedder.toString(), "--face-model", embedder.toString());
        assertThat(wrong.status()).isEqualTo(1);
        assertThat(wrong.err().toLowerCase(Locale.ROOT)).contains("not a face detector");
        assertThat(Path.of(wl)).doesNotExist();
    }

    @Test
    void deletingIntoANewFileNeedsNoModels() throws Exception {
        Path wl = dir.resolve("new/w.json");

        CliRun run = CliRun.of("enroll", "--id", "ghost", "--delete", "--version", "12", "--watchlist", wl.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("'ghost' is not on").contains("DELETE 'ghost' version 12");
        assertThat(WatchlistFile.read(wl).get("ghost").getOp()).isEqualTo(WatchlistOp.DELETE);
        assertThat(Files.readString(wl)).contains("\"version\" : 12");
    }
}
