package dev.hpsweep.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hpsweep.data.Dataset;
import dev.hpsweep.space.ModelCatalogue;
import dev.hpsweep.train.Dl4jTrainer;
import dev.hpsweep.train.TrainerContract;
import dev.hpsweep.train.TrainerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ModelRegistryTest {

    @Test
    void theSearchSpaceFindsTheRegistryAsItsCatalogue() {
        assertSame(ModelRegistry.class, ModelCatalogue.installed().getClass());
        assertTrue(ModelCatalogue.installed().types().contains("mlp"));
    }

    /** A model type is named in its own class and nowhere else in the main sources. */
    @Test
    void noModelTypeNameAppearsAsAStringOutsideTheModelsPackage() throws IOException {
        Path main = Path.of("src/main/java/dev/hpsweep");
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                if (file.startsWith(main.resolve("models"))) {
                    continue;
                }
                String source = Files.readString(file);
                for (String type : ModelRegistry.installed().types()) {
                    if (Pattern.compile("\"" + Pattern.quote(type) + "\"").matcher(source).find()) {
                        offenders.add(main.relativize(file) + " names \"" + type + "\"");
                    }
                }
            }
        }
        assertEquals(List.of(), offenders);
    }

    @Test
    void registeringAClassThatIsNotAModelTypeSaysSo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> ModelRegistry.installed().registerClass("java.lang.String"));
        assertTrue(e.getMessage().contains("does not implement dev.hpsweep.models.ModelType"), e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
            () -> ModelRegistry.installed().registerClass("com.example.Nope"));
        assertTrue(missing.getMessage().contains("no class 'com.example.Nope'"), missing.getMessage());
    }

    @Test
    void trialsWithTheSameEncodingShareOneNd4jCopyOfTheData() {
        Dataset data = TrainerContractTest.clusters(2);
        MlpModel mlp = new MlpModel();
        TrainerFactory factory = mlp.trainers(new TrainingContext(data, 1, 1));
        try (Dl4jTrainer a = (Dl4jTrainer) factory.create(TrainerContract.trial(mlp.params(), Map.of("lr", 0.1), 2));
             Dl4jTrainer b = (Dl4jTrainer) factory.create(TrainerContract.trial(mlp.params(), Map.of("lr", 0.2), 2));
             Dl4jTrainer c = (Dl4jTrainer) factory.create(TrainerContract.trial(mlp.params(),
                 Map.of("input_encoding", "sine"), 2))) {
            assertSame(a.data(), b.data());
            assertNotSame(a.data(), c.data());
            assertEquals(20, c.data().shape().size());
        }
    }
}
