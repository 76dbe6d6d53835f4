package io.bitvision.testkit.broker;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/** StandaloneBroker as its own JVM, started the way a script would start it. */
class StandaloneBrokerITCase {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void servesClientsKeepsDataAcrossRestartsAndStopsOnSigterm() throws Exception {
        int[] ports = LoopbackPorts.free(2);
        Path dataDir = tmp.resolve("kafka");

        Broker first = startBroker(ports[0], ports[1], dataDir);
        assertThat(first.stdout()).anyMatch(line -> line.startsWith("bitvision broker formatted new storage in "));
        String bootstrap = "127.0.0.1:" + ports[0];
        produce(bootstrap, "greetings", "camera-1", "hello");
        assertThat(consumeOne(bootstrap, "greetings")).isEqualTo("hello");
        first.stopAndAwaitExit();

        // Same storage: not formatted again, the record is still there.
        Broker second = startBroker(ports[0], ports[1], dataDir);
        assertThat(second.stdout()).noneMatch(line -> line.contains("formatted"));
        assertThat(consumeOne(bootstrap, "greetings")).isEqualTo("hello");
        second.stopAndAwaitExit();
    }

    private Broker startBroker(int port, int controllerPort, Path dataDir) throws Exception {
        Path stderr = Files.createTempFile(tmp, "broker-", ".err");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx512m"));
        if (Runtime.version().feature() >= 24) {
            // Kafka 4.2 still calls sun.misc.Unsafe::invokeCleaner; JDK 24+ warns about it on stderr.
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), StandaloneBroker.class.getName(),
                "--port", Integer.toString(port),
                "--controller-port", Integer.toString(controllerPort),
                "--data-dir", dataDir.toString()));
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command)
                .redirectError(stderr.toFile())
                .start();
        started.add(process);
        Broker broker = new Broker(process, stderr);
        String ready = StandaloneBroker.READY_PREFIX + "127.0.0.1:" + port;
        try {
            await("broker ready").atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(20)).pollDelay(Duration.ZERO)
                    .failFast("broker exited before it was ready", () -> !process.isAlive())
                    .until(() -> broker.stdout().contains(ready));
        } catch (ConditionTimeoutException e) {
            fail(e.getMessage() + "\n" + broker.diagnostics(), e);
        }
        System.out.printf("StandaloneBroker process ready after %d ms%n", (System.nanoTime() - start) / 1_000_000);
        return broker;
    }

    private static void produce(String bootstrap, String topic, String key, String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static String consumeOne(String bootstrap, String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    return record.value();
                }
            }
        }
        return fail("no record in " + topic + " within 30 s");
    }

    /** A started broker process and what it printed. */
    private record Broker(Process process, Path stderr, List<String> stdout) {

        Broker(Process process, Path stderr) {
            this(process, stderr, new CopyOnWriteArrayList<>());
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        stdout.add(line);
                    }
                } catch (IOException e) {
                    // The process is gone.
                }
            }, "broker-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        /** SIGTERM, then the process must run its shutdown hook and exit within the timeout. */
        void stopAndAwaitExit() throws Exception {
            long start = System.nanoTime();
            // SIGTERM. Not Process.destroy(): that also closes our end of the child's stdout at once, so the
            // lines the shutdown hook prints would be lost.
            process.toHandle().destroy();
            if (!process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                fail("broker still running " + EXIT_TIMEOUT.toSeconds() + " s after SIGTERM\n" + diagnostics());
            }
            System.out.printf("StandaloneBroker process exited %d ms after SIGTERM (exit code %d)%n",
                    (System.nanoTime() - start) / 1_000_000, process.exitValue());
            // The stdout reader may still be draining the last line.
            try {
                await("the stopped line").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                        .until(() -> stdout.contains(StandaloneBroker.STOPPED_LINE));
            } catch (ConditionTimeoutException e) {
                fail(e.getMessage() + "\n" + diagnostics(), e);
            }
            assertThat(process.exitValue()).isEqualTo(143); // 128 + SIGTERM, after the hooks ran
        }

        String diagnostics() {
            String err;
            try {
                err = Files.readString(stderr);
            } catch (IOException e) {
                err = "(stderr unreadable: " + e + ")";
            }
            return "stdout:\n" + String.join("\n", stdout) + "\nstderr:\n" + err;
        }
    }
}
