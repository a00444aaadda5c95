package io.ringfence.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Left-aligned columns separated by three spaces, as kubectl prints them. */
public final class Table {

    private final List<String> headers;
    private final List<String[]> rows = new ArrayList<>();

    public Table(String... headers) {
        this.headers = Arrays.asList(headers);
    }

    public Table row(Object... cells) {
        String[] row = new String[headers.size()];
        for (int i = 0; i < row.length; i++) {
            Object cell = i < cells.length ? cells[i] : null;
            row[i] = cell == null || cell.toString().isEmpty() ? "-" : cell.toString();
        }
        rows.add(row);
        return this;
    }

    public void print(PrintWriter out) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        out.println(line(headers.toArray(String[]::new), widths));
        for (String[] row : rows) {
            out.println(line(row, widths));
        }
        out.flush();
    }

    private static String line(String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            line.append(cells[i]);
            if (i < cells.length - 1) {
                line.append(" ".repeat(widths[i] - cells[i].length() + 3));
            }
        }
        return line.toString().stripTrailing();
    }
}
