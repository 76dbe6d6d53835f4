package io.bitvision.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command tree: every command answers --help, and a bad command line is a usage error, not a stack trace. */
class BitvisionCliTest {
    private static final List<String> COMMANDS = List.of("demo", "run", "infer", "faces", "enroll", "calibrate",
            "add-camera", "consume", "broker", "cluster", "verify-cluster", "verify-upgrade", "engine-demo",
            "model-info", "bench", "soak", "train", "console", "eval", "eval-faces");

    @Test
    void helpListsEveryCommand() {
        CliRun help = CliRun.of("help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains(COMMANDS).contains("./bitvision test");
        assertThat(CliRun.of("--help").out()).isEqualTo(help.out());
    }

    @Test
    void everyCommandAndBenchAnswersHelp() {
        CommandLine tree = BitvisionCli.commandLine(System.out, System.err);
        assertThat(tree.getSubcommands().keySet()).containsAll(COMMANDS);
        for (String command : COMMANDS) {
            CliRun run = CliRun.of(command, "--help");
            assertThat(run.status()).as(command + " --help: " + run.err()).isZero();
            assertThat(run.out()).as(command).startsWith("Usage: bitvision " + command);
        }
        for (String bench : List.of("engine", "pipeline", "scale", "faults", "faces")) {
            CliRun run = CliRun.of("bench", bench, "--help");
            assertThat(run.status()).as("bench " + bench).isZero();
            assertThat(run.out()).startsWith("Usage: bitvision bench " + bench);
        }
    }

    @Test
    void badCommandLinesAreUsageErrors() {
        CliRun unknown = CliRun.of("frobnicate");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unmatched argument").contains("frobnicate");

        CliRun missingValue = CliRun.of("consume", "--bootstrap");
        assertThat(missingValue.status()).isEqualTo(2);
        assertThat(missingValue.err()).contains("Missing required parameter for option '--bootstrap'");

        CliRun badNumber = CliRun.of("bench", "scale", "--seconds", "4");
        assertThat(badNumber.status()).isEqualTo(2);
        assertThat(badNumber.err()).contains("--seconds must be at least 5, was 4");

        CliRun noThreads = CliRun.of("bench", "pipeline", "--inference-threads", "0");
        assertThat(noThreads.status()).isEqualTo(2);
        assertThat(noThreads.err()).contains("--inference-threads must be at least 1, was 0");

        CliRun demoThreads = CliRun.of("engine-demo", "--inference-threads", "0");
        assertThat(demoThreads.status()).isEqualTo(2);
        assertThat(demoThreads.err()).contains("--inference-threads must be at least 1, was 0");

        CliRun badFrames = CliRun.of("train", "--video", "v.avi", "--frames", "first-600");
        assertThat(badFrames.status()).isEqualTo(2);
        assertThat(badFrames.err()).contains("--frames takes A:B");

        CliRun evalInsideWindow = CliRun.of("train", "--video", "v.avi", "--frames", "0:600", "--eval-frames", "500:700");
        assertThat(evalInsideWindow.status()).isEqualTo(2);
        assertThat(evalInsideWindow.err()).contains("--eval-frames takes C:D after the training window (C >= 600)");

        CliRun noStart = CliRun.of("train", "--video", "v.avi", "--from", "absent.pt", "--out",
                System.getProperty("java.io.tmpdir") + "/bitvision-train-absent");
        assertThat(noStart.status()).isEqualTo(1);
        assertThat(noStart.err()).contains("no checkpoint to start from").contains("absent.pt").contains("--from-scratch");

        CliRun secret = CliRun.of("consume", "--bootstrap", "h:1", "--topic", "t", "--consumer-property", "NoKeyPw1");
        assertThat(secret.status()).isEqualTo(2);
        assertThat(secret.err()).contains("--consumer-property takes KEY=VALUE").doesNotContain("NoKeyPw1");

        CliRun badCamera = CliRun.of("add-camera", "--bootstrap", "h:1", "--registry", "r", "--camera", "nourl");
        assertThat(badCamera.status()).isEqualTo(2);
        assertThat(badCamera.err()).contains("--camera takes ID=URL");

        CliRun localFile = CliRun.of("add-camera", "--bootstrap", "h:1", "--registry", "r", "--camera", "a=/etc/passwd");
        assertThat(localFile.status()).isEqualTo(2);
        assertThat(localFile.err()).contains("is a local file, which only cameras given to the job at start may be");
        CliRun concat = CliRun.of("add-camera", "--bootstrap", "h:1", "--registry", "r", "--camera", "a=concat:/a|/b");
        assertThat(concat.status()).isEqualTo(2);
        assertThat(concat.err()).contains("camera URI scheme 'concat' is not allowed");
        CliRun badModel = CliRun.of("add-camera", "--bootstrap", "h:1", "--registry", "r", "--camera", "a=rtsp://h/1",
                "--model", "../models/x");
        assertThat(badModel.status()).isEqualTo(2);
        assertThat(badModel.err()).contains("a model name is 1-128 letters");
    }

    @Test
    void theJobRefusesToStartWithoutThePersonModel(@org.junit.jupiter.api.io.TempDir java.nio.file.Path empty) {
        CliRun run = CliRun.of("run", "--bootstrap", "127.0.0.1:1", "--camera", "a=x.avi", "--models-dir", empty.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("no person model: " + empty.resolve("person-v1.bvm").toAbsolutePath())
                .contains("--stand-in-model");
    }

    @Test
    void benchesFailClosedWithoutTheModel(@org.junit.jupiter.api.io.TempDir java.nio.file.Path empty) {
        CliRun run = CliRun.of("bench", "scale", "--video", "v.avi", "--models-dir", empty.toString());
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("MissingModelException").contains("--stand-in-model");
    }

    @Test
    void theConsoleRefusesToListenBeyondLoopbackWithoutAToken(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        CliRun open = CliRun.of("console", "--bootstrap", "127.0.0.1:1", "--bind", "0.0.0.0", "--port", "0");
        assertThat(open.status()).isEqualTo(2);
        assertThat(open.err()).contains("--bind 0.0.0.0").contains("--token-file");

        java.nio.file.Path shortToken = dir.resolve("token");
        java.nio.file.Files.writeString(shortToken, "secret\n");
        CliRun weak = CliRun.of("console", "--bootstrap", "127.0.0.1:1", "--token-file", shortToken.toString(), "--port", "0");
        assertThat(weak.status()).isEqualTo(1);
        assertThat(weak.err()).contains("at least 16 characters");

        CliRun missing = CliRun.of("console", "--bootstrap", "127.0.0.1:1", "--token-file", dir.resolve("none").toString());
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).contains("--token-file");

        CliRun portWithoutConsole = CliRun.of("demo", "--port", "9000");
        assertThat(portWithoutConsole.status()).isEqualTo(2);
        assertThat(portWithoutConsole.err()).contains("--port goes with --console");
    }
}
