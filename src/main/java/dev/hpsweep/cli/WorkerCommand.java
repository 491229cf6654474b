package dev.hpsweep.cli;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.hpsweep.actors.cluster.ClusterProtocol;
import dev.hpsweep.actors.cluster.ClusterSettings;
import dev.hpsweep.actors.cluster.WorkerNode;
import dev.hpsweep.actors.cluster.WorkerSetup;
import dev.hpsweep.models.ModelRegistry;
import dev.hpsweep.space.InputException;
import dev.hpsweep.space.SearchSpace;
import dev.hpsweep.space.SearchSpaceLoader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hpsweep worker --join HOST:PORT}: trains trials for a coordinator on another machine
 * ({@code hpsweep run FILE --cluster ...}). Waits for the coordinator if it is not up yet, and
 * again after it is gone (a coordinator restarted with {@code resume --cluster} finds it there).
 * SIGTERM hands the running trials back with fresh checkpoints, then leaves.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
    description = "Train trials for a sweep's coordinator (started with run/resume --cluster) on this machine.")
final class WorkerCommand implements Callable<Integer> {
    private static final Duration DRAIN_GRACE = Duration.ofSeconds(60);

    @Option(names = "--join", paramLabel = "HOST:PORT", required = true,
        description = "the coordinator's address, as it printed it")
    String join;

    @Option(names = "--slots", paramLabel = "N",
        description = "trials this machine trains at once (default: cores / the sweep's threads_per_trial)")
    Integer slots;

    @Option(names = "--bind", paramLabel = "HOST",
        description = "the address this worker listens on and the coordinator reaches it at (default: this "
            + "machine's address on the route to the coordinator)")
    String bind;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "0",
        description = "the port this worker listens on (default: any free one)")
    int port;

    @Option(names = "--scratch", paramLabel = "DIR",
        description = "where trials keep their checkpoints until they are shipped (default: a temp directory)")
    Path scratch;

    @Option(names = "--logs", paramLabel = "DIR", defaultValue = "logs",
        description = "where a sweep that starts from another sweep's model finds it (default: ${DEFAULT-VALUE})")
    Path logs;

    @Option(names = TlsKeyStore.OPTION, paramLabel = "FILE",
        description = "talk to the coordinator over TLS with this PKCS12 key store, the coordinator's file (its"
            + " password in " + TlsKeyStore.PASSWORD_VARIABLE + ")")
    Path tlsKeyStore;

    @Spec
    CommandSpec spec;

    private volatile ActorSystem<Object> current;
    private volatile CompletableFuture<WorkerNode.SessionEnd> currentEnd;
    private volatile boolean stopping;

    @Override
    public Integer call() throws Exception {
        ClusterAddress coordinator = ClusterAddress.parse("--join", join);
        if (slots != null && slots < 1) {
            throw new InputException("--slots", 0, 0, null, "expected N >= 1, but got " + slots);
        }
        Config tls = TlsKeyStore.overlay(tlsKeyStore);
        String host = bind != null ? bind : coordinator.localAddressTowards();
        Path dir;
        try {
            dir = scratch != null ? Files.createDirectories(scratch) : Files.createTempDirectory("hpsweep-worker-");
            Files.deleteIfExists(Files.createTempFile(dir, ".probe", ".tmp"));
        } catch (java.io.IOException e) {
            throw new InputException("--scratch", 0, 0, null, "cannot write the scratch directory "
                + (scratch != null ? scratch : System.getProperty("java.io.tmpdir")) + ": "
                + dev.hpsweep.journal.OsReason.reason(e));
        }
        PrintWriter out = spec.commandLine().getOut();
        Signals.onInterrupt(this::drain);
        for (int session = 1; ; session++) {
            // Each session its own scratch: attempt numbers start again with each coordinator process.
            Path sessionDir = dir.resolve("session-" + session);
            CompletableFuture<WorkerNode.SessionEnd> end = new CompletableFuture<>();
            Config config = ConfigFactory.parseString("hpsweep.training-dispatcher.thread-pool-executor"
                    + ".fixed-pool-size = " + (slots != null ? slots : Runtime.getRuntime().availableProcessors()))
                .withFallback(tls)
                .withFallback(ClusterSettings.worker(host, port, coordinator.host(), coordinator.port()))
                .withFallback(ConfigFactory.load());
            ActorSystem<Object> system = ActorSystem.create(WorkerNode.create(this::setUp, sessionDir, line -> {
                out.println(line);
                out.flush();
            }, end::complete), ClusterSettings.SYSTEM, config);
            currentEnd = end;
            current = system;
            if (stopping) {
                // A signal came between two sessions: this one drains at once.
                system.tell(WorkerNode.Drain.INSTANCE);
            }
            out.printf(Locale.ROOT, "worker on %s:%d: joining the coordinator at %s%s (it waits for it to come up)%n",
                host, system.address().getPort().orElse(port), coordinator, tlsKeyStore == null ? "" : " over TLS");
            out.flush();
            // The session ends with the WorkerNode, or with the actor system itself (downed).
            system.getWhenTerminated().thenRun(() -> end.complete(new WorkerNode.SessionEnd.CoordinatorGone()));
            WorkerNode.SessionEnd ended = end.get();
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            WorkerNode.deleteScratch(sessionDir);
            if (ended instanceof WorkerNode.SessionEnd.Refused refused) {
                spec.commandLine().getErr().println("hpsweep: error: this worker cannot take part: "
                    + refused.reason());
                return ExitCodes.BAD_INPUT;
            }
            if (ended instanceof WorkerNode.SessionEnd.Drained || stopping) {
                out.println("worker left the cluster");
                return ExitCodes.OK;
            }
            out.println("waiting for a coordinator at " + coordinator + " again");
            out.flush();
        }
    }

    /** SIGTERM / Ctrl-C: hand the running trials back with their checkpoints, then leave. */
    private void drain() {
        stopping = true;
        ActorSystem<Object> system = current;
        CompletableFuture<WorkerNode.SessionEnd> end = currentEnd;
        if (system == null || end == null) {
            return;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("worker stopping: handing its trials back with fresh checkpoints ...");
        out.flush();
        system.tell(WorkerNode.Drain.INSTANCE);
        try {
            end.get(DRAIN_GRACE.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            out.println("gave up handing trials back after " + DRAIN_GRACE.toSeconds() + "s; the coordinator will"
                + " restart them from their last shipped checkpoints");
            out.flush();
            Runtime.getRuntime().halt(ExitCodes.FAILURE);
        } catch (Exception e) {
            Thread.currentThread().interrupt();
        }
        out.flush();
    }

    /** Checks the coordinator's sweep against this machine (build, search space, data) and builds its trainers. */
    WorkerSetup.Accepted setUp(ClusterProtocol.Hello hello) throws WorkerSetup.Refusal {
        Path file = Path.of(hello.spacePath());
        try {
            if (Files.isRegularFile(file)) {
                String mine = SearchSpaceLoader.load(file).fingerprint();
                if (!mine.equals(hello.spaceSha())) {
                    throw new WorkerSetup.Refusal("its search space differs: " + file + " on this machine has sha256 "
                        + abbrev(mine) + ", the coordinator's " + abbrev(hello.spaceSha()) + "; make them the same file"
                        + " (or remove this machine's copy: the coordinator sends its own)");
                }
            }
            SearchSpace space = SearchSpaceLoader.load(file, hello.spaceText().getBytes(StandardCharsets.UTF_8));
            String build = BuildId.of(ModelRegistry.installed().type(space.modelType()));
            if (!build.equals(hello.build())) {
                throw new WorkerSetup.Refusal("its build differs: this machine runs build " + build
                    + ", the coordinator " + hello.build() + "; install the same hpsweep (and model jars) everywhere");
            }
            SweepInputs in = SweepInputs.load(space, logs);
            if (!in.fingerprint().equals(hello.dataSha())) {
                throw new WorkerSetup.Refusal("its data differ: data set '" + in.data().name() + "'"
                    + (in.init() == null ? "" : " with the model the trials start from") + " has sha256 "
                    + abbrev(in.fingerprint()) + " on this machine, " + abbrev(hello.dataSha())
                    + " on the coordinator; copy the coordinator's data here");
            }
            int n = slots != null ? slots
                : Math.max(1, Runtime.getRuntime().availableProcessors() / in.space().execution().threadsPerTrial());
            return new WorkerSetup.Accepted(SweepExecution.trainers(in), n);
        } catch (InputException e) {
            throw new WorkerSetup.Refusal(e.getMessage());
        }
    }

    private static String abbrev(String sha) {
        return sha == null ? "unknown" : sha.substring(0, Math.min(12, sha.length()));
    }
}
