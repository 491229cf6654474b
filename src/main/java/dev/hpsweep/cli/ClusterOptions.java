package dev.hpsweep.cli;

import com.typesafe.config.Config;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --cluster}, {@code --local-slots} and {@code --tls-keystore}, shared by run and resume. */
final class ClusterOptions {
    @Option(names = "--cluster", paramLabel = "HOST:PORT",
        description = "coordinate a cluster: listen on HOST:PORT (0.0.0.0:25520 for every interface; without "
            + "--tls-keystore there is no authentication, see README) for workers started with "
            + "'hpsweep worker --join'")
    String cluster;

    @Option(names = "--local-slots", paramLabel = "N",
        description = "with --cluster: trials this machine trains at once itself (default: max_concurrent_trials; "
            + "0: only workers train)")
    Integer localSlots;

    @Option(names = TlsKeyStore.OPTION, paramLabel = "FILE",
        description = "with --cluster: talk to workers over TLS, with this PKCS12 key store (the same file on every "
            + "machine; its password in " + TlsKeyStore.PASSWORD_VARIABLE + "); only holders of it can join")
    Path tlsKeyStore;

    ClusterAddress address() {
        return cluster == null ? null : ClusterAddress.parse("--cluster", cluster);
    }

    /** The TLS overlay for the coordinator's settings; an empty Config without --tls-keystore. */
    Config tls() {
        return TlsKeyStore.overlay(tlsKeyStore);
    }
}
