package io.bitvision.operators.kafka;

import java.io.Serializable;

/**
 * Names of the topics the job writes. Defaults: bitvision.masks, bitvision.health, bitvision.dead-letters,
 * bitvision.faces.
 */
public record Topics(String masks, String health, String deadLetters, String faces) implements Serializable {
    /** Faces next to the masks topic: {@code <masks>.faces}. */
    public Topics(String masks, String health, String deadLetters) {
        this(masks, health, deadLetters, masks + ".faces");
    }

    public static Topics defaults() {
        return new Topics("bitvision.masks", "bitvision.health", "bitvision.dead-letters", "bitvision.faces");
    }

    public String[] all() {
        return new String[] {masks, health, deadLetters, faces};
    }
}
