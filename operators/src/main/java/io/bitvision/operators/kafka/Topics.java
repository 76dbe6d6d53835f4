package io.bitvision.operators.kafka;

import java.io.Serializable;

/** Names of the topics the job writes. Defaults: bitvision.masks, bitvision.health, bitvision.dead-letters. */
public record Topics(String masks, String health, String deadLetters) implements Serializable {
    public static Topics defaults() {
        return new Topics("bitvision.masks", "bitvision.health", "bitvision.dead-letters");
    }

    public String[] all() {
        return new String[] {masks, health, deadLetters};
    }
}
