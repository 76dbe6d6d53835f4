package io.bitvision.cli;

import io.bitvision.operators.source.CameraSpec;
import io.bitvision.operators.source.CameraUriPolicy;
import io.bitvision.operators.source.registry.CameraRegistryWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code add-camera}: registers a camera on the registry topic that running jobs watch. */
@Command(name = "add-camera", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Register a camera; jobs started with --camera-registry TOPIC pick it up.")
public final class AddCameraCommand extends CliCommand {
    @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT")
    String bootstrap;

    @Option(names = "--registry", required = true, paramLabel = "TOPIC")
    String registry;

    @Option(names = "--camera", required = true, paramLabel = "ID=URL")
    String camera;

    @Option(names = "--model", paramLabel = "NAME",
            description = "The model this camera asks for: a NAME the jobs were given with --named-model NAME=PATH "
                    + "(a job without it reports the camera FAILED and runs no other model on it).")
    String model = "";

    @Option(names = "--camera-schemes", paramLabel = "S,S", split = ",",
            description = "Schemes the jobs allow (default rtsp,rtsps,http,https); others are refused here already.")
    List<String> cameraSchemes = CameraUriPolicy.DEFAULT_SCHEMES;

    @Option(names = "--producer-property", paramLabel = "KEY=VALUE", description = "A Kafka client setting (TLS, SASL); repeat for more.")
    List<String> clientSettings = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        int eq = camera.indexOf('=');
        if (eq <= 0 || eq == camera.length() - 1) {
            throw usageError("--camera takes ID=URL, got '" + camera + "'");
        }
        Properties properties;
        try {
            properties = ClientProperties.of("--producer-property", clientSettings);
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage());
        }
        String id = camera.substring(0, eq);
        String uri = camera.substring(eq + 1);
        Optional<String> refusal;
        try {
            refusal = CameraUriPolicy.of(cameraSchemes, List.of()).refusal(new CameraSpec(id, uri, 0, java.util.Map.of(),
                    model));
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage());
        }
        if (refusal.isPresent()) { // the jobs would refuse it too, with a health event; say so before registering
            throw usageError(refusal.get());
        }
        CameraRegistryWriter.register(bootstrap, properties, registry, id, uri, model);
        out.println("registered camera " + id + " on " + registry + (model.isEmpty() ? "" : " with model " + model));
        return 0;
    }
}
