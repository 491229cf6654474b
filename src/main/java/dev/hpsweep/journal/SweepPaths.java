package dev.hpsweep.journal;

import java.nio.file.Path;

/** Where a sweep's files live: {@code <logs>/<sweep>/...} and {@code <checkpoints>/<sweep>/...}. */
public record SweepPaths(String sweep, Path logDir, Path checkpointDir) {

    public static SweepPaths of(String sweep, Path logsRoot, Path checkpointsRoot) {
        return new SweepPaths(sweep, logsRoot.resolve(sweep), checkpointsRoot.resolve(sweep));
    }

    public Path journal() {
        return logDir.resolve("journal.jsonl");
    }

    public Path leaderboardLog() {
        return logDir.resolve("leaderboard.log");
    }

    public Path leaderboardCsv() {
        return logDir.resolve("leaderboard.csv");
    }

    public Path provenance() {
        return logDir.resolve("provenance.json");
    }

    public Path trialDir(String trial) {
        return logDir.resolve("trials").resolve(trial);
    }

    public Path trialMetrics(String trial) {
        return trialDir(trial).resolve("metrics.jsonl");
    }

    public Path trialInfo(String trial) {
        return trialDir(trial).resolve("trial.json");
    }

    /** Per-epoch diagnostics a trial asked for (batch losses, gradient norms), one JSON line per epoch. */
    public Path trialDiagnostics(String trial) {
        return trialDir(trial).resolve("diagnostics.jsonl");
    }

    /** The trial's final model, written when it ends. */
    public Path trialModel(String trial) {
        return trialDir(trial).resolve("model.zip");
    }

    /** Where {@code hpsweep report} writes its plots and report.html. */
    public Path reportDir() {
        return logDir.resolve("report");
    }

    public Path trialCheckpoints(String trial) {
        return checkpointDir.resolve(trial);
    }
}
