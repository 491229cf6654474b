package dev.hpsweep.actors.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The Akka Cluster settings of the coordinator and the worker JVMs. Each returns only what
 * differs from {@code application.conf}; use it as
 * {@code ClusterSettings.coordinator(host, port).withFallback(ConfigFactory.load())} and name the
 * system {@link #SYSTEM}.
 *
 * <p>Artery TCP has no authentication: whoever reaches the port can join. Bind to the address the
 * user gives, or lay {@link #tls} over the node's settings. The host a worker names for the coordinator must be spelt exactly as the
 * coordinator's {@code bindHost} (Artery drops messages to {@code akka://hpsweep@localhost:25520}
 * at a node whose canonical address is {@code 127.0.0.1:25520}).
 */
public final class ClusterSettings {
    /** The actor system's name, part of every node's address. */
    public static final String SYSTEM = "hpsweep";
    public static final String COORDINATOR_ROLE = "coordinator";
    public static final String WORKER_ROLE = "worker";

    private ClusterSettings() {
    }

    /**
     * The coordinator: role {@value #COORDINATOR_ROLE}, listening on {@code bindHost:port}, its own
     * (only) seed node, so it forms the cluster at once. With {@code port} 0 (tests) its address is
     * not known in advance and no seed node is set: join it to itself with
     * {@code Cluster.get(system).manager().tell(Join.create(Cluster.get(system).selfMember().address()))}.
     */
    public static Config coordinator(String bindHost, int port) {
        return node(bindHost, port, COORDINATOR_ROLE, port == 0 ? List.of() : List.of(address(bindHost, port)));
    }

    /**
     * A worker: role {@value #WORKER_ROLE}, listening on {@code bindHost:port} (0: any free port),
     * joining the coordinator at {@code coordinatorHost:coordinatorPort}. A worker started before
     * the coordinator keeps trying to join every {@code seed-node-timeout} (5 s), for ever:
     * {@code shutdown-after-unsuccessful-join-seed-nodes} is off by default.
     */
    public static Config worker(String bindHost, int port, String coordinatorHost, int coordinatorPort) {
        return node(bindHost, port, WORKER_ROLE, List.of(address(coordinatorHost, coordinatorPort)));
    }

    /**
     * TLS with mutual authentication, to lay over {@link #coordinator} or {@link #worker}
     * ({@code tls(...).withFallback(coordinator(...))}): every node presents the one key pair in
     * {@code keyStore} and trusts only its certificate, so only holders of that file can join or
     * even talk to a node. {@code keyStore} is a PKCS12 file holding one RSA private key with its
     * self-signed certificate (Akka reads it as {@code KeyStore.getDefaultType()}, PKCS12 since
     * Java 9); {@code password} opens both the file and the key (keytool gives a PKCS12 key the
     * store's password). Check the file before starting an actor system: Akka loads it only at
     * the first connection and then only logs what is wrong.
     *
     * <p>Hostname verification is off: every machine shows the same certificate, whose name
     * ({@code CN=hpsweep}) is no host's, and trust comes from holding the key, not from names.
     */
    public static Config tls(Path keyStore, String password) {
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("a keystore password must be given, but got none");
        }
        String file = ConfigUtil.quoteString(keyStore.toAbsolutePath().toString());
        String secret = ConfigUtil.quoteString(password);
        String engine = "akka.remote.artery.ssl.config-ssl-engine.";
        String hocon = String.join("\n",
            "akka.remote.artery.transport = tls-tcp",
            // Akka's default provider, the one that reads config-ssl-engine; named so that an
            // application.conf cannot swap it unseen
            "akka.remote.artery.ssl.ssl-engine-provider = akka.remote.artery.tcp.ConfigSSLEngineProvider",
            engine + "key-store = " + file,
            engine + "key-store-password = " + secret,
            engine + "key-password = " + secret,
            engine + "trust-store = " + file,
            engine + "trust-store-password = " + secret,
            // The provider calls SSLContext.getInstance(protocol) and setEnabledProtocols([protocol]):
            // one protocol only, with cipher suites of that protocol. TLS 1.2, not 1.3: with
            // TLSv1.3 (Java 17, Akka 2.6.21) clusters formed and carried data, but in 4 of 7 runs of
            // ClusterTlsTest's shut-out test an actor system then never finished terminating (a
            // TLSActor and a TcpOutgoingConnection left); 0 of 6 with TLS 1.2. ECDHE (forward
            // secrecy) with AES-GCM; _RSA_ because the key keytool makes as the README says is RSA.
            engine + "protocol = TLSv1.2",
            engine + "enabled-algorithms = [TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]",
            // the accepting side asks the connecting one for its certificate too
            engine + "require-mutual-authentication = on",
            engine + "hostname-verification = off");
        return ConfigFactory.parseString(hocon);
    }

    /** The address of the node at {@code host:port}, as seed nodes are written. */
    public static String address(String host, int port) {
        checkPort(port);
        return "akka://" + SYSTEM + "@" + host + ":" + port;
    }

    private static Config node(String bindHost, int port, String role, List<String> seedNodes) {
        checkPort(port);
        if (bindHost == null || bindHost.isBlank()) {
            throw new IllegalArgumentException("a host name or address must be given, but got '" + bindHost + "'");
        }
        String hocon = String.join("\n",
            "akka.actor.provider = cluster",
            "akka.remote.artery.transport = tcp",
            "akka.remote.artery.canonical.hostname = " + ConfigUtil.quoteString(bindHost),
            "akka.remote.artery.canonical.port = " + port,
            "akka.cluster.roles = [" + ConfigUtil.quoteString(role) + "]",
            "akka.cluster.seed-nodes = " + quotedList(seedNodes),
            // Akka's default is no downing: a killed worker would stay unreachable for ever and
            // DeathWatch would never fire. keep-oldest on the coordinator role keeps the side with
            // the coordinator (the one oldest member of that role); down-if-alone = off, or the
            // coordinator would down itself when it is cut off from all workers. Workers that
            // lose the coordinator down themselves, which ends their actor system
            // (run-coordinated-shutdown-when-down = on, Akka's default). stable-after 5 s: a
            // killed worker is downed ~10-15 s after it died (failure detection + stable-after).
            "akka.cluster.downing-provider-class = \"akka.cluster.sbr.SplitBrainResolverProvider\"",
            "akka.cluster.split-brain-resolver.active-strategy = keep-oldest",
            "akka.cluster.split-brain-resolver.stable-after = 5s",
            "akka.cluster.split-brain-resolver.keep-oldest.down-if-alone = off",
            "akka.cluster.split-brain-resolver.keep-oldest.role = " + ConfigUtil.quoteString(COORDINATOR_ROLE),
            // jackson-modules (without the Scala module) is set in application.conf: every actor
            // system builds its Jackson serializers at start, not only a cluster's
            "akka.actor.serialization-bindings { " + ConfigUtil.quoteString(Wire.class.getName()) + " = jackson-cbor }");
        return ConfigFactory.parseString(hocon);
    }

    private static String quotedList(List<String> values) {
        return values.stream().map(ConfigUtil::quoteString).collect(Collectors.joining(", ", "[", "]"));
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("0 <= port <= 65535 must hold, but got port=" + port);
        }
    }
}
