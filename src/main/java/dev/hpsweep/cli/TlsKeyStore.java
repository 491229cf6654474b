package dev.hpsweep.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.hpsweep.actors.cluster.ClusterSettings;
import dev.hpsweep.journal.OsReason;
import dev.hpsweep.space.InputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Collections;

/**
 * {@code --tls-keystore FILE} of run/resume --cluster and worker: the one PKCS12 key store every
 * machine of a cluster holds, its password in {@value #PASSWORD_VARIABLE} (never on the command
 * line, where {@code ps} shows it). Opened here, before any actor system starts: Akka would open
 * it only at the first connection and then just log, and retry, what is wrong.
 */
final class TlsKeyStore {
    static final String OPTION = "--tls-keystore";
    static final String PASSWORD_VARIABLE = "HPSWEEP_TLS_PASSWORD";

    private TlsKeyStore() {
    }

    /** The TLS overlay for {@code file} with the password from the environment; no file: an empty Config (plain TCP). */
    static Config overlay(Path file) {
        return file == null ? ConfigFactory.empty() : overlay(file, System.getenv(PASSWORD_VARIABLE));
    }

    /** As {@link #overlay(Path)}, with the password given ({@code null}: not set). */
    static Config overlay(Path file, String password) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InputException(OPTION, 0, 0, null, "cannot read " + file + ": " + OsReason.reason(e));
        }
        if (password == null || password.isEmpty()) {
            throw new InputException(OPTION, 0, 0, null, "the password of " + file + " must be in the environment"
                + " variable " + PASSWORD_VARIABLE + ", but it is not set");
        }
        // the type Akka's ConfigSSLEngineProvider reads it as: PKCS12 on Java 9 and later
        KeyStore store;
        try {
            store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(new ByteArrayInputStream(bytes), password.toCharArray());
        } catch (IOException e) {
            throw new InputException(OPTION, 0, 0, null, e.getCause() instanceof UnrecoverableKeyException
                ? "cannot open " + file + ": " + PASSWORD_VARIABLE + " is not its password"
                : "cannot open " + file + ": it is not a PKCS12 key store (" + e.getMessage() + ")");
        } catch (GeneralSecurityException e) {
            throw new InputException(OPTION, 0, 0, null, "cannot open " + file + ": " + e.getMessage());
        }
        // Akka's key manager opens the key with the same password (key-password): try it now
        boolean hasKey = false;
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    store.getKey(alias, password.toCharArray());
                    hasKey = true;
                }
            }
        } catch (GeneralSecurityException e) {
            throw new InputException(OPTION, 0, 0, null, "cannot open the key in " + file + " with "
                + PASSWORD_VARIABLE + ": " + e.getMessage() + " (its key must have the store's password)");
        }
        if (!hasKey) {
            throw new InputException(OPTION, 0, 0, null, file + " holds no private key; make it with keytool"
                + " -genkeypair (README, 'Several machines')");
        }
        return ClusterSettings.tls(file, password);
    }
}
