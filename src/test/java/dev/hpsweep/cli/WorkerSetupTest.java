package dev.hpsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hpsweep.actors.cluster.ClusterProtocol;
import dev.hpsweep.actors.cluster.WorkerSetup;
import dev.hpsweep.journal.Provenance;
import dev.hpsweep.models.ModelRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a worker checks before it takes part: the coordinator's build, search space and data against its own. */
class WorkerSetupTest {
    @TempDir
    Path dir;

    static final String SPACE = space("europe-cities", "mlp", "batch_size: 4096, depth: 1, width: 4");

    /** A one-trial sweep "w" of {@code model} on {@code dataset} with the {@code fixed} parameters. */
    static String space(String dataset, String model, String fixed) {
        return """
            name: w
            dataset: {name: %s}
            model: {type: %s}
            objective: {metric: val_accuracy, mode: max}
            epochs: 1
            fixed: {%s}
            search: {strategy: grid, params: [{lr: [0.01]}]}
            """.formatted(dataset, model, fixed);
    }

    private ClusterProtocol.Hello hello(Path file, String text, String build, String dataSha) throws Exception {
        Path real = dir.resolve("coordinator.yaml");
        Files.writeString(real, text);
        SweepInputs in = SweepInputs.load(real);
        return new ClusterProtocol.Hello(null, "w", build == null ? BuildId.of(ModelRegistry.installed()
            .type("mlp")) : build, file.toString(), text, in.space().fingerprint(),
            dataSha == null ? in.fingerprint() : dataSha);
    }

    private WorkerCommand worker(Integer slots) {
        WorkerCommand w = new WorkerCommand();
        w.slots = slots;
        w.logs = dir.resolve("logs");
        return w;
    }

    @Test
    void theSameBuildSpaceAndDataAreAcceptedWithTheGivenSlots() throws Exception {
        WorkerSetup.Accepted ok = worker(3).setUp(hello(dir.resolve("absent.yaml"), SPACE, null, null));
        assertEquals(3, ok.slots());
    }

    @Test
    void anotherBuildIsRefusedNamingBoth() throws Exception {
        String reason = assertThrows(WorkerSetup.Refusal.class,
            () -> worker(1).setUp(hello(dir.resolve("absent.yaml"), SPACE, "feedfacefeedface 0.9", null))).getMessage();
        assertTrue(reason.startsWith("its build differs: this machine runs build "), reason);
        assertTrue(reason.contains("the coordinator feedfacefeedface 0.9"), reason);
    }

    static final String RESNET_SPACE = space("fashion-shirts", "resnet18", "width: 4, batch_size: 32");

    @Test
    void theOtherNativeBuildIsAnotherBuildOnlyForModelsWhoseNumbersDependOnIt() throws Exception {
        // A ResNet's numbers differ between libnd4j's plain and oneDNN builds; an MLP's do not
        // (NativeBuildsTest), and XGBoost's do not come from ND4J.
        org.junit.jupiter.api.Assumptions.assumeTrue("onednn".equals(Provenance.environment().get("nd4j-native-build")),
            "the tests run the oneDNN build where its jar exists (Linux x86-64)");
        String key = "org.bytedeco.javacpp.platform.extension";
        String mine = System.getProperty(key);
        var types = ModelRegistry.installed();
        String resnetOneDnn = BuildId.of(types.type("resnet18"));
        String mlpOneDnn = BuildId.of(types.type("mlp"));
        String xgboostOneDnn = BuildId.of(types.type("xgboost"));
        try {
            System.setProperty(key, ""); // this worker as if started on the plain build
            String resnetPlain = BuildId.of(types.type("resnet18"));
            assertTrue(!resnetPlain.equals(resnetOneDnn), "both builds have the id " + resnetPlain);
            String reason = assertThrows(WorkerSetup.Refusal.class,
                () -> worker(1).setUp(hello(dir.resolve("absent.yaml"), RESNET_SPACE, resnetOneDnn, null))).getMessage();
            assertTrue(reason.startsWith("its build differs: this machine runs build " + resnetPlain), reason);
            assertEquals(mlpOneDnn, BuildId.of(types.type("mlp")));
            assertEquals(xgboostOneDnn, BuildId.of(types.type("xgboost")));
            assertEquals(1, worker(1).setUp(hello(dir.resolve("absent.yaml"), SPACE, mlpOneDnn, null)).slots(),
                "a worker on the plain build joins an MLP sweep of a coordinator on the oneDNN build");
        } finally {
            System.setProperty(key, mine);
        }
    }

    @Test
    void otherDataAreRefusedNamingTheDataSetAndBothFingerprints() throws Exception {
        String reason = assertThrows(WorkerSetup.Refusal.class,
            () -> worker(1).setUp(hello(dir.resolve("absent.yaml"), SPACE, null, "0123456789abcdef0123"))).getMessage();
        assertTrue(reason.startsWith("its data differ: data set 'europe-cities' has sha256 "), reason);
        assertTrue(reason.contains(", 0123456789ab on the coordinator"), reason);
    }

    @Test
    void aDifferentFileAtTheSamePlaceIsRefused() throws Exception {
        Path mine = Files.writeString(dir.resolve("mine.yaml"), SPACE.replace("epochs: 1", "epochs: 2"));
        String reason = assertThrows(WorkerSetup.Refusal.class,
            () -> worker(1).setUp(hello(mine, SPACE, null, null))).getMessage();
        assertTrue(reason.startsWith("its search space differs: " + mine + " on this machine has sha256 "), reason);
    }

    @Test
    void aMissingDataFileOnTheWorkerIsRefusedWithWhereTheFileNamesIt() throws Exception {
        Path csv = Files.createDirectories(dir.resolve("data"));
        for (String split : new String[] {"train", "validation", "test"}) {
            Files.writeString(csv.resolve(split + ".csv"), "long,lat,country\n1.0,2.0,0\n2.0,1.0,1\n1.5,2.5,0\n2.5,1.5,1\n");
        }
        String text = SPACE.replace("{name: europe-cities}",
            "{csv: {train: data/train.csv, validation: data/validation.csv, test: data/test.csv}}");
        ClusterProtocol.Hello h = hello(dir.resolve("elsewhere/coordinator.yaml"), text, null, null);
        String reason = assertThrows(WorkerSetup.Refusal.class, () -> worker(1).setUp(h)).getMessage();
        assertTrue(reason.contains("dataset.csv.train") && reason.contains("no such file"), reason);
    }
}
