package dev.hpsweep.cli;

import picocli.CommandLine.Option;

/** {@code --cluster} and {@code --local-slots}, shared by run and resume. */
final class ClusterOptions {
    @Option(names = "--cluster", paramLabel = "HOST:PORT",
        description = "coordinate a cluster: listen on HOST:PORT (0.0.0.0:25520 for every interface; there is no "
            + "authentication, see README) for workers started with 'hpsweep worker --join'")
    String cluster;

    @Option(names = "--local-slots", paramLabel = "N",
        description = "with --cluster: trials this machine trains at once itself (default: max_concurrent_trials; "
            + "0: only workers train)")
    Integer localSlots;

    ClusterAddress address() {
        return cluster == null ? null : ClusterAddress.parse("--cluster", cluster);
    }
}
