package dev.hpsweep.cli;

import com.typesafe.config.Config;
import dev.hpsweep.space.InputException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --cluster}, {@code --local-slots} and {@code --tls-keystore}, shared by run and resume. */
final class ClusterOptions {
    @Option(names = "--cluster", paramLabel = "HOST:PORT", arity = "0..1", fallbackValue = "127.0.0.1:25520",
        description = "coordinate a cluster: listen on HOST:PORT (alone: 127.0.0.1:25520, this machine only; "
            + "0.0.0.0:25520 for every interface; without "
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

    /**
     * Checks the options together (called first, before the sweep's directories are touched);
     * returns the address to listen on, or null without --cluster.
     */
    ClusterAddress check() {
        if (cluster == null) {
            if (localSlots != null) {
                throw new InputException("--local-slots", 0, 0, null, "--local-slots needs --cluster HOST:PORT");
            }
            if (tlsKeyStore != null) {
                throw new InputException(TlsKeyStore.OPTION, 0, 0, null, "--tls-keystore needs --cluster HOST:PORT");
            }
            return null;
        }
        if (localSlots != null && localSlots < 0) {
            throw new InputException("--local-slots", 0, 0, null, "expected N >= 0, but got " + localSlots);
        }
        ClusterAddress address = ClusterAddress.parse("--cluster", cluster);
        tls();
        return address;
    }

    /** The TLS overlay for the coordinator's settings; an empty Config without --tls-keystore. */
    Config tls() {
        return TlsKeyStore.overlay(tlsKeyStore);
    }
}
