package io.bitvision.cli.console;

import java.util.LinkedHashSet;
import java.util.List;

/** The topics the console reads; previews may be null (a job without --preview-topic). */
public record ConsoleTopics(String masks, String health, String faces, String watchlist, String previews) {
    public static final String DEFAULT_PREVIEWS = "bitvision.previews";

    public List<String> all() {
        LinkedHashSet<String> topics = new LinkedHashSet<>(List.of(masks, health, faces, watchlist));
        if (previews != null) {
            topics.add(previews);
        }
        return List.copyOf(topics);
    }
}
