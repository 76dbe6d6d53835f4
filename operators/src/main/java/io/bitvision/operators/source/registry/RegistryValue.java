package io.bitvision.operators.source.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The value of a camera registry record (the key is the camera id). Two forms:
 * <ul>
 *   <li>a bare URI in UTF-8, as every registry record was before models could be named;
 *   <li>a JSON object {@code {"uri": "rtsp://...", "model": "NAME"}}: {@code uri} required, {@code model} optional
 *       (the name of a model the job was given with {@code --named-model NAME=PATH}).
 * </ul>
 * A JSON value is recognised by its first non-blank character {@code '{'}. Fields this version does not know are
 * reported in {@link #unknownFields} and otherwise ignored, so a newer writer does not stop an older job.
 */
public record RegistryValue(String uri, String model, List<String> unknownFields) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public RegistryValue {
        model = model == null ? "" : model;
        unknownFields = List.copyOf(unknownFields);
    }

    /** Parses a record value; throws {@link IllegalArgumentException} naming what is wrong. */
    public static RegistryValue parse(byte[] value) {
        String text = new String(value, StandardCharsets.UTF_8).trim();
        if (!text.startsWith("{")) {
            return new RegistryValue(text, "", List.of());
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("value is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw new IllegalArgumentException("value is not a JSON object");
        }
        JsonNode uri = object.get("uri");
        if (uri == null || !uri.isTextual()) {
            throw new IllegalArgumentException("value has no \"uri\" string");
        }
        JsonNode model = object.get("model");
        if (model != null && !model.isTextual() && !model.isNull()) {
            throw new IllegalArgumentException("\"model\" is not a string");
        }
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("uri") && !name.equals("model")) {
                unknown.add(name);
            }
        }
        return new RegistryValue(uri.asText().trim(), model == null || model.isNull() ? "" : model.asText(), unknown);
    }

    /** The value to publish: a bare URI when no model is named (what older jobs read), else the JSON object. */
    public static byte[] encode(String uri, String model) {
        if (model == null || model.isEmpty()) {
            return uri.getBytes(StandardCharsets.UTF_8);
        }
        ObjectNode object = JSON.createObjectNode();
        object.put("uri", uri);
        object.put("model", model);
        return object.toString().getBytes(StandardCharsets.UTF_8);
    }
}
