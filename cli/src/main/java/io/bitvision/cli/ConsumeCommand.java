package io.bitvision.cli;

import io.bitvision.cli.consume.RecordJson;
import io.bitvision.testkit.audit.CommittedRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code consume}: committed records of a topic as JSON lines, any record type the job publishes. */
@Command(name = "consume", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print the committed records of a topic (read_committed) as JSON lines: masks, face matches, "
                + "watchlist updates, health, dead letters, activity.")
public final class ConsumeCommand extends CliCommand {
    @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT")
    String bootstrap;

    @Option(names = "--topic", required = true, paramLabel = "T")
    String topic;

    @Option(names = "--max", paramLabel = "N", description = "Print at most N records.")
    int max = Integer.MAX_VALUE;

    @Option(names = "--timeout-s", paramLabel = "N", defaultValue = "30", description = "How long to read (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--consumer-property", paramLabel = "KEY=VALUE", description = "A Kafka client setting (TLS, SASL); repeat for more.")
    List<String> clientSettings = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Properties properties;
        try {
            properties = ClientProperties.of("--consumer-property", clientSettings);
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage());
        }
        var records = CommittedRecords.readAll(bootstrap, properties, Duration.ofSeconds(timeoutSeconds), topic).get(topic);
        int printed = 0;
        for (var record : records) {
            if (printed++ >= max) {
                break;
            }
            out.println(RecordJson.toJson(record.value()));
        }
        return 0;
    }
}
