package dev.hpsweep.actors.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hpsweep.journal.EpochMetrics;
import dev.hpsweep.journal.JsonLines;
import dev.hpsweep.space.TrialSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trials and their epochs on the wire, as the journal writes them (the same mapper), so a trial
 * that ran on a worker has the very parameters, and its epochs the very numbers, a local one
 * would: the journal's JSON round trip is already what resume relies on to be bit-exact.
 */
final class WireJson {
    private WireJson() {
    }

    static String write(TrialSpec trial) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("id", trial.id());
        t.put("index", trial.index());
        t.put("params", trial.params());
        t.put("searched", trial.searched());
        return text(t);
    }

    static TrialSpec readTrial(String json) {
        try {
            JsonNode t = JsonLines.MAPPER.readTree(json);
            Map<String, Object> params = JsonLines.MAPPER.convertValue(t.path("params"),
                new TypeReference<LinkedHashMap<String, Object>>() { });
            Map<String, Object> searched = JsonLines.MAPPER.convertValue(t.path("searched"),
                new TypeReference<LinkedHashMap<String, Object>>() { });
            return new TrialSpec(t.path("id").asText(), t.path("index").asInt(), params, searched);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a trial: " + e.getOriginalMessage(), e);
        }
    }

    /** An epoch with its diagnostics (which the journal leaves out). */
    static byte[] write(EpochMetrics m) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("metrics", m);
        e.put("diagnostics", m.diagnostics());
        try {
            return JsonLines.MAPPER.writeValueAsBytes(e);
        } catch (JsonProcessingException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static EpochMetrics readEpoch(byte[] bytes) {
        try {
            JsonNode e = JsonLines.MAPPER.readTree(bytes);
            EpochMetrics m = JsonLines.MAPPER.convertValue(e.path("metrics"), EpochMetrics.class);
            Map<String, List<Double>> diagnostics = JsonLines.MAPPER.convertValue(e.path("diagnostics"),
                new TypeReference<LinkedHashMap<String, List<Double>>>() { });
            return new EpochMetrics(m.trial(), m.epoch(), m.epochs(), m.metrics(), m.iterations(), m.samples(),
                m.seconds(), m.timeMillis(), diagnostics == null ? Map.of() : diagnostics);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static String text(Object value) {
        try {
            return JsonLines.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
