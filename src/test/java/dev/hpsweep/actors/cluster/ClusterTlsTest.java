package dev.hpsweep.actors.cluster;

import static dev.hpsweep.actors.cluster.TwoSystemsTest.awaitMembersUp;
import static dev.hpsweep.actors.cluster.TwoSystemsTest.echoFound;
import static dev.hpsweep.actors.cluster.TwoSystemsTest.echoOneMegabyte;
import static dev.hpsweep.actors.cluster.TwoSystemsTest.freePort;
import static dev.hpsweep.actors.cluster.TwoSystemsTest.membersUp;
import static dev.hpsweep.actors.cluster.TwoSystemsTest.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.Address;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.cluster.Member;
import akka.cluster.typed.Cluster;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Nodes on 127.0.0.1 over Artery tls-tcp with {@link ClusterSettings#tls}: only holders of the key store join. */
@Timeout(120)
public class ClusterTlsTest {
    static final String PASSWORD = "test-only-password";
    /** How long a node without the key store is watched not becoming a member. */
    static final Duration SHUT_OUT = Duration.ofSeconds(12);

    @TempDir
    Path dir;

    private final List<ActorTestKit> kits = new ArrayList<>();

    /** A fresh PKCS12 key store at {@code file}: one RSA key pair, self-signed, as the README tells users to make. */
    public static Path keyStore(Path file, String password) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "hpsweep", "-keyalg", "RSA",
            "-keysize", "2048", "-validity", "3650", "-dname", "CN=hpsweep", "-storetype", "PKCS12",
            "-keystore", file.toString(), "-storepass", password, "-keypass", password)
            .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "keytool did not finish");
        assertEquals(0, p.exitValue(), "keytool: " + output);
        assertTrue(Files.size(file) > 0, file + " is empty");
        return file;
    }

    private ActorTestKit start(Config settings) {
        ActorTestKit kit = node(settings);
        kits.add(kit);
        return kit;
    }

    @AfterEach
    void terminate() {
        // Akka's TLS stream of a node refused at the handshake sometimes outlives its actor system's
        // shutdown (a TLSActor and a TCP connection left; seen in a fresh clone's CI run): that is
        // not what these tests check, so teardown waits for it but does not fail on it.
        for (int i = kits.size() - 1; i >= 0; i--) {
            ActorTestKit.shutdown(kits.get(i).system(), java.time.Duration.ofSeconds(20), false);
        }
    }

    @Test
    void nodesHoldingTheSameKeyStoreFormAClusterAndEchoOneMegabyte() throws Exception {
        Config tls = ClusterSettings.tls(keyStore(dir.resolve("sweep.p12"), PASSWORD), PASSWORD);
        int port = freePort();
        ActorTestKit worker = start(tls.withFallback(ClusterSettings.worker("127.0.0.1", 0, "127.0.0.1", port)));
        ActorTestKit coordinator = start(tls.withFallback(ClusterSettings.coordinator("127.0.0.1", port)));
        awaitMembersUp(2, coordinator, worker);
        assertEquals("tls-tcp", coordinator.system().settings().config().getString("akka.remote.artery.transport"));

        echoOneMegabyte(coordinator, echoFound(worker, coordinator));
    }

    @Test
    void nodesWithAnotherKeyStoreOrNoneDoNotBecomeMembersWhileOneWithTheKeyStoreDoes() throws Exception {
        Config tls = ClusterSettings.tls(keyStore(dir.resolve("sweep.p12"), PASSWORD), PASSWORD);
        Config otherTls = ClusterSettings.tls(keyStore(dir.resolve("other.p12"), PASSWORD), PASSWORD);
        int port = freePort();
        ActorTestKit coordinator = start(tls.withFallback(ClusterSettings.coordinator("127.0.0.1", port)));
        long started = System.nanoTime();
        ActorTestKit stranger = start(otherTls.withFallback(ClusterSettings.worker("127.0.0.1", 0, "127.0.0.1", port)));
        ActorTestKit plain = start(ClusterSettings.worker("127.0.0.1", 0, "127.0.0.1", port));
        ActorTestKit worker = start(tls.withFallback(ClusterSettings.worker("127.0.0.1", 0, "127.0.0.1", port)));

        awaitMembersUp(2, coordinator, worker);
        // Nothing to wait for here: the outsiders keep trying to join (every seed-node-timeout,
        // 5 s), so watch the membership for a while.
        long deadline = started + SHUT_OUT.toNanos();
        do {
            Set<Address> members = StreamSupport.stream(
                    Cluster.get(coordinator.system()).state().getMembers().spliterator(), false)
                .map(Member::address).collect(Collectors.toSet());
            assertEquals(Set.of(coordinator.system().address(), worker.system().address()), members,
                "the coordinator's members");
            for (ActorTestKit outsider : List.of(stranger, plain)) {
                assertTrue(membersUp(outsider).isEmpty(), outsider.system().address() + " sees members up");
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        assertEquals(2, membersUp(coordinator).size(), "members up at the coordinator");
    }

    @Test
    void theOverlayTurnsOnTlsWithMutualAuthenticationOverEitherNodesSettings() {
        Path file = dir.resolve("sweep.p12");
        for (Config settings : List.of(ClusterSettings.coordinator("127.0.0.1", 25520),
            ClusterSettings.worker("127.0.0.1", 0, "127.0.0.1", 25520))) {
            Config c = ClusterSettings.tls(file, "pa\"ss word").withFallback(settings).withFallback(ConfigFactory.load());
            Config engine = c.getConfig("akka.remote.artery.ssl.config-ssl-engine");
            assertEquals("tls-tcp", c.getString("akka.remote.artery.transport"));
            assertEquals("akka.remote.artery.tcp.ConfigSSLEngineProvider",
                c.getString("akka.remote.artery.ssl.ssl-engine-provider"));
            assertEquals(file.toAbsolutePath().toString(), engine.getString("key-store"));
            assertEquals(file.toAbsolutePath().toString(), engine.getString("trust-store"));
            for (String key : List.of("key-store-password", "key-password", "trust-store-password")) {
                assertEquals("pa\"ss word", engine.getString(key), key);
            }
            assertTrue(engine.getBoolean("require-mutual-authentication"));
            assertFalse(engine.getBoolean("hostname-verification"));
            assertEquals("TLSv1.2", engine.getString("protocol"));
            assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
                engine.getStringList("enabled-algorithms"));
            assertEquals(settings.getStringList("akka.cluster.roles"), c.getStringList("akka.cluster.roles"));
        }
    }
}
