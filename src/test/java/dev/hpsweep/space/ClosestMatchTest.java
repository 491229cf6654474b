package dev.hpsweep.space;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClosestMatchTest {

    @Test
    void distanceCountsInsertionsDeletionsAndSubstitutions() {
        assertEquals(0, ClosestMatch.distance("epochs", "epochs"));
        assertEquals(1, ClosestMatch.distance("epoch", "epochs"));
        assertEquals(1, ClosestMatch.distance("optimiser", "optimizer"));
        assertEquals(3, ClosestMatch.distance("kitten", "sitting"));
    }

    @Test
    void suggestsTheNearestWordWithinTwoEdits() {
        assertEquals(Optional.of("seed"), ClosestMatch.of("sed", List.of("name", "seed", "epochs")));
    }

    @Test
    void suggestsNothingBeyondTwoEdits() {
        assertEquals(Optional.empty(), ClosestMatch.of("colour", List.of("name", "seed", "epochs")));
    }

    @Test
    void ignoresCase() {
        assertEquals(Optional.of("epochs"), ClosestMatch.of("Epochs", List.of("seed", "epochs")));
    }

    @Test
    void doesNotSuggestForWordsThatShareNothing() {
        assertEquals(Optional.empty(), ClosestMatch.of("ab", List.of("lr")));
    }
}
