package io.bitvision.benchmarks.live;

import io.bitvision.operators.kafka.Topics;
import io.bitvision.testkit.broker.EmbeddedKafkaBroker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/** The job's topics as the live benches create them. */
public final class BenchTopics {
    private BenchTopics() {
    }

    /**
     * One partition each, stamped by the broker ({@code LogAppendTime}), so a record's timestamp is the moment it was
     * written and the benches can measure latency from it.
     */
    public static void createLogAppendTime(EmbeddedKafkaBroker broker, Topics topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            List<NewTopic> created = new ArrayList<>();
            for (String name : topics.all()) {
                created.add(new NewTopic(name, 1, (short) 1).configs(Map.of("message.timestamp.type", "LogAppendTime")));
            }
            admin.createTopics(created).all().get(60, TimeUnit.SECONDS);
        }
        broker.createTopics(1, topics.all()); // existing topics are kept; this waits for their leaders
    }
}
