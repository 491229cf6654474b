package dev.hpsweep.space;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Renders trials as an aligned text table (id, then each searched parameter), as {@code hpsweep validate} prints them. */
public final class TrialTable {
    /** Enough to tell drawn learning rates apart, few enough to keep columns narrow. */
    private static final MathContext SIGNIFICANT = new MathContext(6);

    private TrialTable() {
    }

    /**
     * One header line, one line per trial, each ending in a newline; numbers right-aligned,
     * other values left-aligned, columns two spaces apart, no trailing spaces.
     */
    public static String format(List<TrialSpec> trials) {
        Set<String> names = new LinkedHashSet<>();
        trials.forEach(t -> names.addAll(t.searched().keySet()));
        List<String> header = new ArrayList<>();
        header.add("trial");
        header.addAll(names);

        List<List<String>> rows = new ArrayList<>();
        boolean[] numeric = new boolean[header.size()];
        Arrays.fill(numeric, 1, numeric.length, !trials.isEmpty());
        for (TrialSpec t : trials) {
            List<String> row = new ArrayList<>();
            row.add(t.id());
            int column = 1;
            for (String name : names) {
                Object value = t.searched().get(name);
                numeric[column] &= value instanceof Number;
                row.add(value == null ? "" : cell(value));
                column++;
            }
            rows.add(row);
        }

        int[] width = new int[header.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = header.get(c).length();
            for (List<String> row : rows) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        appendLine(out, header, width, numeric);
        for (List<String> row : rows) {
            appendLine(out, row, width, numeric);
        }
        return out.toString();
    }

    private static void appendLine(StringBuilder out, List<String> cells, int[] width, boolean[] rightAligned) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) {
                line.append("  ");
            }
            String pad = " ".repeat(width[c] - cells.get(c).length());
            line.append(rightAligned[c] ? pad + cells.get(c) : cells.get(c) + pad);
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    static String cell(Object value) {
        if (value instanceof Double d) {
            if (d == 0 || !Double.isFinite(d)) {
                return ParamDef.number(d);
            }
            BigDecimal rounded = BigDecimal.valueOf(d).round(SIGNIFICANT).stripTrailingZeros();
            double magnitude = Math.abs(d);
            return magnitude >= 1e-4 && magnitude < 1e9 ? rounded.toPlainString() : rounded.toString();
        }
        return String.valueOf(value);
    }
}
