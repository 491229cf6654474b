package dev.hpsweep.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.deallocation.DeallocatorService;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The counts behind bench --only buffers: by kind and caller, and ND4J's service put back after. */
class RegistrationsTest {

    @Test
    void countsEachRowViewOfGetRowsAndOneBufferForGather() {
        Nd4jRuntime.install();
        INDArray m = Nd4j.rand(DataType.FLOAT, 10, 3);
        int[] rows = {4, 1, 7, 2};
        Map<String, Long> byGetRows = Registrations.during(() -> m.getRows(rows));
        Rows.gather(m, rows); // fills the TAD cache for this shape
        Map<String, Long> byGather = Registrations.during(() -> Rows.gather(m, rows));
        long views = byGetRows.entrySet().stream().filter(e -> e.getKey().contains("view"))
            .mapToLong(Map.Entry::getValue).sum();
        assertTrue(views >= rows.length, "views of the rows: " + byGetRows);
        // The result's data; its shape and TAD buffers come from the caches.
        assertEquals(Map.of("FLOAT buffer @ Rows.gather", 1L), byGather);
    }

    @Test
    void theServiceInUseIsPutBackEvenWhenTheWorkFails() {
        Nd4jRuntime.install();
        DeallocatorService before = Nd4j.getDeallocatorService();
        assertThrows(IllegalStateException.class, () -> Registrations.during(() -> {
            throw new IllegalStateException("work failed");
        }));
        assertSame(before, Nd4j.getDeallocatorService());
    }
}
