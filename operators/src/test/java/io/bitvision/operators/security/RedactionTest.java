package io.bitvision.operators.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void secretKeysOfKafkaClientsFlinkAndSchemaRegistryAreRecognised() {
        for (String key : new String[] {"ssl.keystore.password", "ssl.key.password", "ssl.truststore.password",
                "sasl.jaas.config", "sasl.oauthbearer.client.credentials.client.secret", "ssl.keystore.key",
                "basic.auth.user.info", "schema.registry.basic.auth.user.info", "SASL.JAAS.CONFIG", "my.api.key",
                "bearer.auth.token", "s3.secret-key"}) {
            assertThat(Redaction.isSecretKey(key)).as(key).isTrue();
        }
        for (String key : new String[] {"security.protocol", "ssl.truststore.location", "ssl.keystore.location",
                "ssl.keystore.type", "sasl.mechanism", "bootstrap.servers", "ssl.endpoint.identification.algorithm",
                "transaction.timeout.ms"}) {
            assertThat(Redaction.isSecretKey(key)).as(key).isFalse();
        }
    }

    @Test
    void propertiesPrintWithSecretValuesHiddenAndOthersKept() {
        Properties p = new Properties();
        p.setProperty("security.protocol", "SASL_SSL");
        p.setProperty("ssl.truststore.location", "/etc/kafka/trust.p12");
        p.setProperty("ssl.truststore.password", "Tru5t-me");
        p.setProperty("sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"Pl41n\";");
        String printed = Redaction.toString(p);
        assertThat(printed).doesNotContain("Tru5t-me").doesNotContain("Pl41n")
                .contains("security.protocol=SASL_SSL", "ssl.truststore.location=/etc/kafka/trust.p12",
                        "ssl.truststore.password=******", "sasl.jaas.config=******");
        assertThat(p.getProperty("ssl.truststore.password")).as("the real value is untouched").isEqualTo("Tru5t-me");
    }

    @Test
    void credentialsInUrlsAreHidden() {
        assertThat(Redaction.text("rtsp://admin:hunter2@10.0.0.7:554/stream1"))
                .isEqualTo("rtsp://******@10.0.0.7:554/stream1");
        assertThat(Redaction.text("rtsp://admin:p@ss@cam/1")).isEqualTo("rtsp://******@cam/1");
        assertThat(Redaction.text("Could not open input \"rtsp://u:s3cr3t@cam.local/live\" (error -111)"))
                .isEqualTo("Could not open input \"rtsp://******@cam.local/live\" (error -111)");
        assertThat(Redaction.text("http://cam/snapshot.cgi?user=admin&pwd=s3cr3t&res=hd"))
                .isEqualTo("http://cam/snapshot.cgi?user=admin&pwd=******&res=hd");
        assertThat(Redaction.text("https://bucket.s3/x.mp4?X-Amz-Signature=abc123&X-Amz-Expires=60"))
                .isEqualTo("https://bucket.s3/x.mp4?X-Amz-Signature=******&X-Amz-Expires=60");
        assertThat(Redaction.text("/data/videos/vtest.avi")).isEqualTo("/data/videos/vtest.avi");
        assertThat(Redaction.text("rtsp://cam.local:554/live?channel=1")).isEqualTo("rtsp://cam.local:554/live?channel=1");
        assertThat(Redaction.text("contact me@example.org")).isEqualTo("contact me@example.org");
    }
}
