package dev.hpsweep.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {
    static final String SCALA_MODULE = "com.fasterxml.jackson.module.scala.DefaultScalaModule";

    @Test
    void theCoordinatorIsItsOwnSeedNodeAndTheWorkersSeedNodeIsTheCoordinator() {
        Config c = ClusterSettings.coordinator("sweep-host.invalid", 25520).withFallback(ConfigFactory.load());
        Config w = ClusterSettings.worker("127.0.0.1", 0, "sweep-host.invalid", 25520).withFallback(ConfigFactory.load());
        assertEquals(List.of("akka://hpsweep@sweep-host.invalid:25520"), c.getStringList("akka.cluster.seed-nodes"));
        assertEquals(List.of("akka://hpsweep@sweep-host.invalid:25520"), w.getStringList("akka.cluster.seed-nodes"));
        assertEquals(List.of("coordinator"), c.getStringList("akka.cluster.roles"));
        assertEquals(List.of("worker"), w.getStringList("akka.cluster.roles"));
        assertEquals("sweep-host.invalid", c.getString("akka.remote.artery.canonical.hostname"));
        assertEquals(25520, c.getInt("akka.remote.artery.canonical.port"));
        assertEquals(0, w.getInt("akka.remote.artery.canonical.port"));
        assertEquals(List.of(), ClusterSettings.coordinator("127.0.0.1", 0).getStringList("akka.cluster.seed-nodes"),
            "port 0: the address is not known in advance");
    }

    @Test
    void bothSidesDownWithKeepOldestOnTheCoordinatorRoleAndKeepTryingToJoin() {
        for (Config cfg : List.of(ClusterSettings.coordinator("127.0.0.1", 25520),
            ClusterSettings.worker("127.0.0.1", 0, "127.0.0.1", 25520))) {
            Config c = cfg.withFallback(ConfigFactory.load());
            assertEquals("cluster", c.getString("akka.actor.provider"));
            assertEquals("tcp", c.getString("akka.remote.artery.transport"));
            assertEquals("akka.cluster.sbr.SplitBrainResolverProvider", c.getString("akka.cluster.downing-provider-class"));
            assertEquals("keep-oldest", c.getString("akka.cluster.split-brain-resolver.active-strategy"));
            assertEquals("coordinator", c.getString("akka.cluster.split-brain-resolver.keep-oldest.role"));
            assertFalse(c.getBoolean("akka.cluster.split-brain-resolver.keep-oldest.down-if-alone"));
            assertEquals(5, c.getDuration("akka.cluster.split-brain-resolver.stable-after").toSeconds());
            assertEquals("off", c.getString("akka.cluster.shutdown-after-unsuccessful-join-seed-nodes"));
            assertEquals("jackson-cbor", c.getConfig("akka.actor.serialization-bindings")
                .getString("\"" + Wire.class.getName() + "\""));
            assertFalse(c.getBoolean("akka.actor.allow-java-serialization"));
            assertFalse(c.getBoolean("akka.coordinated-shutdown.run-by-jvm-shutdown-hook"));
        }
    }

    /** application.conf's list: every actor system builds its Jackson serializers, not only a cluster's. */
    @Test
    void theJacksonModulesAreAkkasDefaultsLessTheExcludedScalaModule() {
        List<String> defaults = new ArrayList<>(
            ConfigFactory.defaultReference().getStringList("akka.serialization.jackson.jackson-modules"));
        assertTrue(defaults.remove(SCALA_MODULE), "reference.conf lists " + defaults);
        assertEquals(defaults, ConfigFactory.load().getStringList("akka.serialization.jackson.jackson-modules"));
        assertEquals(defaults, ClusterSettings.worker("127.0.0.1", 0, "127.0.0.1", 25520)
            .withFallback(ConfigFactory.load()).getStringList("akka.serialization.jackson.jackson-modules"));
    }

    @Test
    void aPortOutOfRangeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> ClusterSettings.worker("127.0.0.1", 0, "127.0.0.1", 70000));
        assertEquals("0 <= port <= 65535 must hold, but got port=70000", e.getMessage());
    }
}
