package io.bitvision.operators.source.kafka;

import java.util.Properties;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaJpegIngestTest {

    private static KafkaJpegIngest.Builder valid() {
        return KafkaJpegIngest.builder().bootstrapServers("broker:9093").topics("camera-jpeg").groupId("ingest");
    }

    @Test
    void securitySettingsPassThroughUntouchedAndTheConsumerReadsCommitted() {
        Properties security = new Properties();
        security.setProperty("security.protocol", "SASL_SSL");
        security.setProperty("sasl.mechanism", "SCRAM-SHA-512");
        security.setProperty("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"cam\" password=\"secret\";");
        security.setProperty("ssl.truststore.location", "/etc/kafka/truststore.p12");

        Properties effective = valid().consumerProperties(security).consumerProperties();

        for (String key : security.stringPropertyNames()) {
            assertThat(effective.getProperty(key)).as(key).isEqualTo(security.getProperty(key));
        }
        assertThat(effective.getProperty("isolation.level")).isEqualTo("read_committed");
        assertThat(effective.getProperty("bootstrap.servers")).isEqualTo("broker:9093");
        assertThat(effective.getProperty("group.id")).isEqualTo("ingest");
        assertThat(security.getProperty("isolation.level")).as("caller's properties not modified").isNull();
    }

    @Test
    void readCommittedMayBeSpelledOutButNothingElse() {
        Properties committed = new Properties();
        committed.setProperty("isolation.level", "READ_COMMITTED");
        assertThat(valid().consumerProperties(committed).build()).isNotNull();

        Properties uncommitted = new Properties();
        uncommitted.setProperty("isolation.level", "read_uncommitted");
        assertThatThrownBy(() -> valid().consumerProperties(uncommitted).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("read_committed");
    }

    @Test
    void unboundedByDefaultBoundedOnRequest() {
        KafkaSource<?> unbounded = valid().build();
        KafkaSource<?> bounded = valid().bounded(OffsetsInitializer.latest()).build();

        assertThat(unbounded.getBoundedness()).isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);
        assertThat(bounded.getBoundedness()).isEqualTo(Boundedness.BOUNDED);
        assertThat(bounded.getProducedType().getTypeClass())
                .isEqualTo(io.bitvision.operators.source.CameraRecord.class);
    }

    @Test
    void requiredArgumentsAreChecked() {
        assertThatThrownBy(() -> KafkaJpegIngest.builder().topics("t").groupId("g").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bootstrapServers");
        assertThatThrownBy(() -> KafkaJpegIngest.builder().bootstrapServers("b:1").topics("t").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("groupId");
        assertThatThrownBy(() -> KafkaJpegIngest.builder().bootstrapServers("b:1").groupId("g").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("No topics");
        assertThatThrownBy(() -> valid().topics(" ").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Blank topic");
        assertThatThrownBy(() -> valid().bootstrapServers(" ").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> valid().startingOffsets(null).build()).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> valid().limits(null).build()).isInstanceOf(NullPointerException.class);
    }
}
