package dev.hpsweep.space;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrialTableTest {

    @Test
    void alignsIdAndSearchedColumns() {
        List<TrialSpec> trials = TrialExpander.expand(TestSpaces.load("grid-lr-zip.yaml")).subList(3, 6);
        assertEquals("""
                trial        lr  depth  width
                trial-0004  0.1     10     16
                trial-0005  0.1      6      8
                trial-0006  0.1      6     32
                """, TrialTable.format(trials));
    }

    @Test
    void textColumnsAreLeftAligned() {
        List<TrialSpec> trials = TrialExpander.expand(TestSpaces.load("random.yaml")).subList(0, 2);
        String table = TrialTable.format(trials);
        String header = table.lines().findFirst().orElseThrow();
        assertEquals("trial", header.substring(0, 5));
        assertEquals(List.of("trial", "lr", "momentum", "depth", "width", "activation", "batch_size", "epochs"),
                List.of(header.trim().split(" +")));
        assertEquals("tanh", table.lines().skip(1).findFirst().orElseThrow().split(" +")[5]);
    }

    @Test
    void doublesAreShownWithSixSignificantDigits() {
        assertEquals("0.000889506", TrialTable.cell(8.895057134057925E-4));
        assertEquals("0.508226", TrialTable.cell(0.5082262643187965));
        assertEquals("1.23457E-7", TrialTable.cell(1.23456789e-7));
        assertEquals("0.01", TrialTable.cell(0.01));
    }

    @Test
    void noTrialsGivesTheHeaderOnly() {
        assertEquals("trial\n", TrialTable.format(List.of()));
    }
}
