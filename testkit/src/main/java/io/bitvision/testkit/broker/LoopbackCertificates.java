package io.bitvision.testkit.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Throw-away TLS material for a broker on 127.0.0.1, made with the JDK's {@code keytool} (no other library): a
 * self-signed broker certificate for {@code 127.0.0.1} / {@code localhost} (subject alternative names, so clients
 * keep hostname verification on), a self-signed client certificate, and one truststore holding both. Keys are EC
 * P-256, valid for two days; all stores are PKCS12 with the same password. Passwords reach keytool through its
 * environment ({@code -storepass:env}), never its command line.
 *
 * <pre>{@code
 * LoopbackCertificates certs = LoopbackCertificates.create(dir, password);
 * try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().tls(certs.brokerTls(true)).start()) {
 *     Properties client = certs.clientProperties();   // security.protocol=SSL, truststore, client keystore
 *     ...
 * }
 * }</pre>
 *
 * <p>{@link #toString()} hides the password.
 */
public record LoopbackCertificates(Path brokerKeystore, Path clientKeystore, Path truststore, String password) {
    private static final String PASSWORD_ENV = "BITVISION_KEYTOOL_PASSWORD";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

    public LoopbackCertificates {
        Objects.requireNonNull(brokerKeystore, "brokerKeystore");
        Objects.requireNonNull(clientKeystore, "clientKeystore");
        Objects.requireNonNull(truststore, "truststore");
        Objects.requireNonNull(password, "password");
    }

    /**
     * Writes {@code broker.p12}, {@code client.p12} and {@code truststore.p12} into {@code dir} (created if missing;
     * existing files of those names are replaced).
     *
     * @param password at least 6 characters (keytool's minimum)
     * @throws IOException if keytool is missing or fails
     */
    public static LoopbackCertificates create(Path dir, String password) throws IOException, InterruptedException {
        if (password == null || password.length() < 6) {
            throw new IllegalArgumentException("keytool needs a password of at least 6 characters");
        }
        Files.createDirectories(dir);
        Path broker = dir.resolve("broker.p12").toAbsolutePath();
        Path client = dir.resolve("client.p12").toAbsolutePath();
        Path trust = dir.resolve("truststore.p12").toAbsolutePath();
        Path brokerCert = dir.resolve("broker.pem").toAbsolutePath();
        Path clientCert = dir.resolve("client.pem").toAbsolutePath();
        for (Path p : List.of(broker, client, trust, brokerCert, clientCert)) {
            Files.deleteIfExists(p);
        }
        genKeyPair(broker, "broker", "CN=127.0.0.1,OU=bitvision test broker", "SAN=ip:127.0.0.1,dns:localhost", password);
        exportCert(broker, "broker", brokerCert, password);
        genKeyPair(client, "client", "CN=bitvision-client,OU=bitvision test client", null, password);
        exportCert(client, "client", clientCert, password);
        importCert(trust, "broker", brokerCert, password);
        importCert(trust, "client", clientCert, password);
        return new LoopbackCertificates(broker, client, trust, password);
    }

    /** The broker's side: its keystore, the shared truststore; client certificates required or not. */
    public BrokerTls brokerTls(boolean requireClientCertificates) {
        return new BrokerTls(brokerKeystore, password, truststore, password, requireClientCertificates);
    }

    /**
     * A client's settings: {@code security.protocol=SSL}, the truststore, and the client keystore (used when the
     * broker asks for a certificate).
     */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.setProperty("security.protocol", "SSL");
        p.setProperty("ssl.truststore.type", "PKCS12");
        p.setProperty("ssl.truststore.location", truststore.toString());
        p.setProperty("ssl.truststore.password", password);
        p.setProperty("ssl.keystore.type", "PKCS12");
        p.setProperty("ssl.keystore.location", clientKeystore.toString());
        p.setProperty("ssl.keystore.password", password);
        p.setProperty("ssl.key.password", password);
        return p;
    }

    @Override
    public String toString() {
        return "LoopbackCertificates[brokerKeystore=" + brokerKeystore + ", clientKeystore=" + clientKeystore
                + ", truststore=" + truststore + ", password hidden]";
    }

    private static void genKeyPair(Path keystore, String alias, String dname, String extension, String password)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname",
                "secp256r1", "-dname", dname, "-validity", "2", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass:env", PASSWORD_ENV, "-keypass:env", PASSWORD_ENV));
        if (extension != null) {
            args.addAll(List.of("-ext", extension));
        }
        keytool(args, password);
    }

    private static void exportCert(Path keystore, String alias, Path file, String password)
            throws IOException, InterruptedException {
        keytool(List.of("-exportcert", "-rfc", "-alias", alias, "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass:env", PASSWORD_ENV, "-file", file.toString()), password);
    }

    private static void importCert(Path truststore, String alias, Path file, String password)
            throws IOException, InterruptedException {
        keytool(List.of("-importcert", "-noprompt", "-alias", alias, "-file", file.toString(), "-keystore",
                truststore.toString(), "-storetype", "PKCS12", "-storepass:env", PASSWORD_ENV), password);
    }

    private static void keytool(List<String> args, String password) throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        if (!Files.isExecutable(keytool)) {
            throw new IOException("keytool not found at " + keytool + " (a JDK, not a JRE, is needed)");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(keytool.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put(PASSWORD_ENV, password);
        Process process = pb.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("keytool " + args.get(0) + " did not finish within " + KEYTOOL_TIMEOUT_SECONDS + " s");
        }
        if (process.exitValue() != 0) {
            throw new IOException("keytool " + args.get(0) + " failed (exit " + process.exitValue() + "): "
                    + new String(output, StandardCharsets.UTF_8).strip());
        }
    }
}
