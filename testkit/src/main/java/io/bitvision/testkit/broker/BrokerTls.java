package io.bitvision.testkit.broker;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * TLS for the broker's client listener (PKCS12 stores). The broker's own connections to itself (inter-broker
 * traffic such as transaction markers) go through the same listener, so {@code truststore} must trust the broker's
 * own certificate, and with {@code requireClientCertificates} the broker's certificate doubles as its client
 * certificate.
 *
 * <p>{@link #toString()} names the files and hides the passwords.
 *
 * @param keystore                  the broker's key and certificate chain
 * @param keystorePassword          password of the keystore and of the key in it
 * @param truststore                certificates the broker trusts (its own, and clients' when they must present one)
 * @param truststorePassword        password of the truststore
 * @param requireClientCertificates {@code ssl.client.auth=required} (mutual TLS) instead of {@code none}
 */
public record BrokerTls(Path keystore, String keystorePassword, Path truststore, String truststorePassword,
                        boolean requireClientCertificates) {

    public BrokerTls {
        Objects.requireNonNull(keystore, "keystore");
        Objects.requireNonNull(keystorePassword, "keystorePassword");
        Objects.requireNonNull(truststore, "truststore");
        Objects.requireNonNull(truststorePassword, "truststorePassword");
        keystore = keystore.toAbsolutePath();
        truststore = truststore.toAbsolutePath();
    }

    /** The broker's {@code ssl.*} settings. */
    Map<String, String> serverProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", keystore.toString());
        p.put("ssl.keystore.password", keystorePassword);
        p.put("ssl.key.password", keystorePassword);
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", truststore.toString());
        p.put("ssl.truststore.password", truststorePassword);
        p.put("ssl.client.auth", requireClientCertificates ? "required" : "none");
        return p;
    }

    /** What the broker's own clients ({@link EmbeddedKafkaBroker#createTopics}) use: its key, its truststore. */
    Map<String, Object> clientProperties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("security.protocol", "SSL");
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", truststore.toString());
        p.put("ssl.truststore.password", truststorePassword);
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", keystore.toString());
        p.put("ssl.keystore.password", keystorePassword);
        p.put("ssl.key.password", keystorePassword);
        return p;
    }

    @Override
    public String toString() {
        return "BrokerTls[keystore=" + keystore + ", truststore=" + truststore + ", passwords hidden, client certificates "
                + (requireClientCertificates ? "required" : "not required") + "]";
    }
}
