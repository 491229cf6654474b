package dev.hpsweep.journal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hpsweep.space.TrialSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rebuilds a sweep's {@link SweepHistory} from its journal's records. Pure: no files, no clocks. */
public final class ResumePlanner {
    private ResumePlanner() {
    }

    public static SweepHistory history(JournalReader.Contents contents) {
        Path spaceFile = null;
        Path spaceFileFromSweep = null;
        String spaceSha = null;
        String dataSha = null;
        List<EpochMetrics> epochs = new ArrayList<>();
        Map<String, SweepHistory.Outcome> outcomes = new LinkedHashMap<>();
        Map<String, TrialSpec> started = new LinkedHashMap<>();
        boolean ended = false;
        for (JournalReader.Entry e : contents.entries()) {
            JsonNode r = e.record();
            switch (e.type()) {
                case "sweep_started" -> {
                    JsonNode p = r.path("provenance");
                    spaceFile = Path.of(p.path("search_space").asText());
                    spaceFileFromSweep = p.hasNonNull("search_space_from_sweep")
                        ? Path.of(p.path("search_space_from_sweep").asText()) : null;
                    spaceSha = p.path("search_space_sha256").asText();
                    dataSha = p.path("data_sha256").asText();
                    ended = false;
                }
                case "sweep_resumed" -> {
                    ended = false;
                    if (r.hasNonNull("search_space_sha256")) {
                        spaceSha = r.path("search_space_sha256").asText();
                        dataSha = r.path("data_sha256").asText();
                    }
                }
                case "sweep_finished" -> ended = true;
                case "sweep_interrupted" -> ended = false;
                case "trial_started" -> {
                    String trial = r.path("trial").asText();
                    started.putIfAbsent(trial, trialSpec(trial, r));
                    outcomes.remove(trial);
                }
                case "epoch" -> epochs.add(JsonLines.MAPPER.convertValue(r.path("metrics"), EpochMetrics.class));
                case "trial_rewound" -> {
                    String trial = r.path("trial").asText();
                    int to = r.path("to_epoch").asInt();
                    epochs.removeIf(m -> m.trial().equals(trial) && m.epoch() > to);
                }
                case "trial_finished" -> outcomes.put(r.path("trial").asText(), new SweepHistory.Outcome(
                    TrialStatus.valueOf(r.path("status").asText()), r.path("reason").asText("")));
                default -> {
                    // checkpoint, decision, ...: kept for people and tools, not needed to resume
                }
            }
        }
        return new SweepHistory(contents.lastSeq(), spaceFile, spaceFileFromSweep, spaceSha, dataSha, epochs, outcomes,
            new ArrayList<>(started.values()), ended);
    }

    /** The trial as it was started: its id's number gives its index; JSON numbers come back as Integer or Double. */
    @SuppressWarnings("unchecked")
    private static TrialSpec trialSpec(String id, JsonNode record) {
        Map<String, Object> params = JsonLines.MAPPER.convertValue(record.path("params"), LinkedHashMap.class);
        Map<String, Object> searched = record.has("searched")
            ? JsonLines.MAPPER.convertValue(record.path("searched"), LinkedHashMap.class) : Map.of();
        int index = Integer.parseInt(id.substring(id.lastIndexOf('-') + 1)) - 1;
        return new TrialSpec(id, index, params, searched);
    }
}
