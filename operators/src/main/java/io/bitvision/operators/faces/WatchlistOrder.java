package io.bitvision.operators.faces;

import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.WatchlistOp;
import io.bitvision.schemas.WatchlistUpdate;
import java.util.Arrays;

/**
 * Which of two updates of one identity wins: the higher version; at equal versions a delete beats an upsert,
 * then the larger encoding. A total order, so the watchlist ends the same whatever order updates arrive in.
 */
public final class WatchlistOrder {
    private WatchlistOrder() {}

    public static boolean supersedes(WatchlistUpdate incoming, WatchlistUpdate current) {
        if (current == null) {
            return true;
        }
        if (incoming.getVersion() != current.getVersion()) {
            return incoming.getVersion() > current.getVersion();
        }
        boolean incomingDeletes = incoming.getOp() == WatchlistOp.DELETE;
        boolean currentDeletes = current.getOp() == WatchlistOp.DELETE;
        if (incomingDeletes != currentDeletes) {
            return incomingDeletes;
        }
        return Arrays.compare(AvroRecords.encode(incoming), AvroRecords.encode(current)) > 0;
    }
}
