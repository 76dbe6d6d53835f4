package io.bitvision.operators.inference;

import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelFormatException;
import io.bitvision.engine.model.ModelReader;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One loaded {@link Model} per distinct model file per JVM (TaskManager): every subtask shares its immutable
 * weights and builds only its own arena.
 */
public final class SharedModels {
    private static final ConcurrentHashMap<String, Model> MODELS = new ConcurrentHashMap<>();

    private SharedModels() {}

    public static Model get(ModelRef ref) throws ModelFormatException {
        String key = sha256(ref.bytes());
        Model cached = MODELS.get(key);
        if (cached != null) {
            return cached;
        }
        Model loaded = ModelReader.fromBytes(ref.bytes());
        Model raced = MODELS.putIfAbsent(key, loaded);
        return raced != null ? raced : loaded;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
