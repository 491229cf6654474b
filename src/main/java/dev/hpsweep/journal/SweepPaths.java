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

    public Path trialCheckpoints(String trial) {
        return checkpointDir.resolve(trial);
    }
}
