package dev.hpsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import dev.hpsweep.actors.cluster.ClusterTlsTest;
import dev.hpsweep.space.InputException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsKeyStoreTest {
    static final String PASSWORD = "test-only-password";

    @TempDir
    Path dir;

    @Test
    void aKeyStoreThatOpensGivesTheTlsOverlayWithItsAbsolutePath() throws Exception {
        Path file = ClusterTlsTest.keyStore(dir.resolve("sweep.p12"), PASSWORD);
        Config c = TlsKeyStore.overlay(file, PASSWORD);
        assertEquals("tls-tcp", c.getString("akka.remote.artery.transport"));
        assertEquals(file.toAbsolutePath().toString(), c.getString("akka.remote.artery.ssl.config-ssl-engine.key-store"));
    }

    @Test
    void noKeyStoreIsPlainTcp() {
        assertEquals(true, TlsKeyStore.overlay(null).isEmpty());
    }

    @Test
    void aWrongPasswordIsRefusedNamingTheFileAndTheVariable() throws Exception {
        Path file = ClusterTlsTest.keyStore(dir.resolve("sweep.p12"), PASSWORD);
        InputException e = assertThrows(InputException.class, () -> TlsKeyStore.overlay(file, "not-the-password"));
        assertEquals("--tls-keystore: cannot open " + file + ": HPSWEEP_TLS_PASSWORD is not its password",
            e.getMessage());
    }

    @Test
    void aFileThatIsNoKeyStoreIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "hello");
        InputException e = assertThrows(InputException.class, () -> TlsKeyStore.overlay(file, PASSWORD));
        assertEquals(true, e.getMessage().startsWith("--tls-keystore: cannot open " + file
            + ": it is not a PKCS12 key store ("), e.getMessage());
    }

    @Test
    void aKeyStoreWithACertificateButNoPrivateKeyIsRefused() throws Exception {
        Path full = ClusterTlsTest.keyStore(dir.resolve("sweep.p12"), PASSWORD);
        KeyStore source = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(full)) {
            source.load(in, PASSWORD.toCharArray());
        }
        KeyStore certOnly = KeyStore.getInstance("PKCS12");
        certOnly.load(null, null);
        certOnly.setCertificateEntry("hpsweep", source.getCertificate("hpsweep"));
        Path file = dir.resolve("cert-only.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            certOnly.store(out, PASSWORD.toCharArray());
        }
        InputException e = assertThrows(InputException.class, () -> TlsKeyStore.overlay(file, PASSWORD));
        assertEquals("--tls-keystore: " + file + " holds no private key; make it with keytool -genkeypair (README,"
            + " 'Several machines')", e.getMessage());
    }
}
