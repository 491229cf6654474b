package dev.hpsweep.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A data set's description survives provenance.json: {@code fromMap(toMap())} gives it back. */
class DatasetSpecTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyKindOfDataSetRoundTripsThroughJson() throws Exception {
        List<DatasetSpec> specs = List.of(
            new DatasetSpec.Embedded("europe-cities"),
            new DatasetSpec.Csv(Path.of("/d/a.csv"), Path.of("/d/b.csv"), Path.of("/d/c.csv")),
            new DatasetSpec.Images(Path.of("/d/train"), Path.of("/d/val"), Path.of("/d/test"), 28, 32, 3),
            new DatasetSpec.Images(Path.of("/d/train"), Path.of("/d/val"), Path.of("/d/test"), null, null, 1));
        for (DatasetSpec spec : specs) {
            Map<?, ?> recorded = JSON.readValue(JSON.writeValueAsString(spec.toMap()), Map.class);

            assertEquals(spec, DatasetSpec.fromMap(recorded), recorded::toString);
        }
    }

    @Test
    void imageFoldersAreRecordedAsTheSearchSpaceFileWritesThem() {
        DatasetSpec spec = new DatasetSpec.Images(Path.of("/d/train"), Path.of("/d/val"), Path.of("/d/test"), 28, 32, 3);

        assertEquals(Map.of("images", Map.of("train", "/d/train", "validation", "/d/val", "test", "/d/test"),
            "size", List.of(28, 32), "channels", 3), spec.toMap());
    }

    @Test
    void imagesNeedBothSidesOfASizeOrNeither() {
        assertThrows(IllegalArgumentException.class,
            () -> new DatasetSpec.Images(Path.of("a"), Path.of("b"), Path.of("c"), 28, null, 1));
    }

    @Test
    void imagesHaveOneOrThreeChannels() {
        assertThrows(IllegalArgumentException.class,
            () -> new DatasetSpec.Images(Path.of("a"), Path.of("b"), Path.of("c"), null, null, 4));
    }
}
