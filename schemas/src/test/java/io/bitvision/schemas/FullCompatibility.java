package io.bitvision.schemas;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/** Avro FULL compatibility: each of two schemas can read data written with the other. */
final class FullCompatibility {
    private FullCompatibility() {
    }

    /** What stops {@code current} and {@code released} from reading each other's data; empty when nothing. */
    static List<String> problems(Schema current, Schema released) {
        List<String> problems = new ArrayList<>();
        collect(problems, "current cannot read released data", current, released);
        collect(problems, "released readers cannot read current data", released, current);
        return problems;
    }

    private static void collect(List<String> problems, String direction, Schema reader, Schema writer) {
        for (Incompatibility incompatibility : SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)
                .getResult().getIncompatibilities()) {
            problems.add(direction + ": " + incompatibility.getType() + " at " + incompatibility.getLocation() + ": "
                    + incompatibility.getMessage());
        }
    }
}
