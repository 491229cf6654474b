package dev.hpsweep.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hpsweep.space.Distribution.Choice;
import dev.hpsweep.space.Distribution.IntUniform;
import dev.hpsweep.space.Distribution.LogUniform;
import dev.hpsweep.space.Distribution.Uniform;
import dev.hpsweep.space.SearchSpec.Param;
import dev.hpsweep.space.SearchSpec.Strategy;
import dev.hpsweep.space.SearchSpec.Zip;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchSpaceLoaderTest {

    @TempDir
    Path dir;

    @Test
    void listParametersAreReadAsListsInFixedAndAsAlternativesInSearch() throws IOException {
        Path file = dir.resolve("lists.yaml");
        Files.writeString(file, """
                name: lists
                dataset: {name: europe-cities}
                model: {type: mlp}
                objective: {metric: val_accuracy, mode: max}
                epochs: 1
                fixed: {record_grad_layers: [0, 30, 99], input_encoding: sine}
                search: {strategy: grid, params: [{sine_alphas: [[0.5, 1], [0.25]]}]}
                """);
        SearchSpace space = SearchSpaceLoader.load(file);
        assertEquals(List.of(0, 30, 99), space.fixed().get("record_grad_layers"));
        List<TrialSpec> trials = TrialExpander.expand(space);
        assertEquals(List.of(0.5, 1.0), trials.get(0).doubleListParam("sine_alphas"));
        assertEquals(List.of(0.25), trials.get(1).doubleListParam("sine_alphas"));
        assertEquals(List.of(0, 30, 99), trials.get(1).intListParam("record_grad_layers"));
    }

    @Test
    void loadsEverySectionOfAFullFile() {
        SearchSpace space = TestSpaces.load("grid-lr-zip.yaml");
        assertEquals("grid-lr-zip", space.name());
        assertEquals(42, space.seed());
        assertEquals(new DatasetSpec.Embedded("europe-cities"), space.dataset());
        assertEquals("mlp", space.modelType());
        assertEquals(new Objective("val_accuracy", Objective.Mode.MAX), space.objective());
        assertEquals(5, space.epochs());
        assertEquals(Map.of("optimizer", "adam", "batch_size", 256, "batch_norm", true), space.fixed());
        assertEquals(List.of("optimizer", "batch_size", "batch_norm"), List.copyOf(space.fixed().keySet()));
        assertEquals(new SearchSpec(Strategy.GRID, 0, List.of(
                new Param("lr", new Choice(List.of(0.1, 0.01))),
                new Zip(List.of("depth", "width"), List.of(
                        List.of(1, 16), List.of(2, 16), List.of(6, 16), List.of(10, 16),
                        List.of(6, 8), List.of(6, 32), List.of(6, 64))))), space.search());
        assertEquals(new Execution(2, 1, 5, 2), space.execution());
        assertEquals(EarlyStopping.NONE, space.earlyStopping());
    }

    @Test
    void optionalSectionsTakeTheirDefaults() {
        SearchSpace space = TestSpaces.load("minimal.yaml");
        assertEquals(42, space.seed());
        assertEquals(Map.of(), space.fixed());
        assertEquals(Execution.DEFAULTS, space.execution());
        assertEquals(EarlyStopping.NONE, space.earlyStopping());
    }

    @Test
    void fingerprintIsTheSha256OfTheFileBytes() throws Exception {
        Path file = TestSpaces.path("minimal.yaml");
        String expected = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        assertEquals(expected, SearchSpaceLoader.load(file).fingerprint());
    }

    @Test
    void csvPathsResolveAgainstTheFilesDirectory() {
        Path file = TestSpaces.path("course/csv-dataset.yml");
        Path base = file.toAbsolutePath().getParent();
        DatasetSpec.Csv csv = assertInstanceOf(DatasetSpec.Csv.class, SearchSpaceLoader.load(file).dataset());
        assertEquals(base.resolve("data/train.csv"), csv.train());
        assertEquals(base.getParent().resolve("shared/validation.csv"), csv.validation());
        assertEquals(Path.of("/data/test.csv"), csv.test());
        assertTrue(csv.train().isAbsolute() && csv.validation().isAbsolute());
    }

    @Test
    void imageFoldersResolveAgainstTheFilesDirectoryAndTheirKeysArePlaced() throws IOException {
        Path file = dir.resolve("images.yaml");
        Files.writeString(file, """
                name: pictures
                dataset:
                  images: {train: pics/train, validation: ../shared/val, test: /data/test}
                  size: [32, 24]
                  channels: 3
                model: {type: mlp}
                objective: {metric: val_accuracy, mode: max}
                epochs: 1
                search: {strategy: grid, params: [{lr: [0.1]}]}
                """);

        SearchSpace space = SearchSpaceLoader.load(file);

        assertEquals(new DatasetSpec.Images(dir.resolve("pics/train"), dir.getParent().resolve("shared/val"),
                Path.of("/data/test"), 32, 24, 3), space.dataset());
        InputException train = space.errorAt("dataset.images.train", "no such folder");
        assertEquals(List.of(3, 19), List.of(train.line(), train.column()));
        InputException test = space.errorAt("dataset.images.test", "no such folder");
        assertEquals(List.of(3, 64), List.of(test.line(), test.column()));
    }

    @Test
    void imageFoldersWithoutSizeKeepTheImagesSizeAndDefaultToOneChannel() throws IOException {
        Path file = dir.resolve("images.yaml");
        Files.writeString(file, """
                name: pictures
                dataset: {images: {train: a, validation: b, test: c}}
                model: {type: mlp}
                objective: {metric: val_accuracy, mode: max}
                epochs: 1
                search: {strategy: grid, params: [{lr: [0.1]}]}
                """);

        DatasetSpec.Images images = assertInstanceOf(DatasetSpec.Images.class, SearchSpaceLoader.load(file).dataset());

        assertEquals(null, images.height());
        assertEquals(null, images.width());
        assertEquals(1, images.channels());
    }

    @Test
    void paramsWrittenAsAMapMeanTheSameAsTheListForm() throws IOException {
        String common = """
                name: s
                dataset: {name: europe-cities}
                model: {type: mlp}
                objective: {metric: val_loss, mode: min}
                epochs: 1
                search:
                  strategy: grid
                """;
        Path asMap = write("map.yaml", common + "  params: {lr: [0.1, 0.01], depth: [1, 2]}\n");
        Path asList = write("list.yaml", common + "  params: [{lr: [0.1, 0.01]}, {depth: [1, 2]}]\n");
        assertEquals(SearchSpaceLoader.load(asList).search(), SearchSpaceLoader.load(asMap).search());
    }

    @Test
    void integerWrittenForANumberParameterBecomesADouble() throws IOException {
        Path file = write("space.yaml", """
                name: s
                dataset: {name: europe-cities}
                model: {type: mlp}
                objective: {metric: val_loss, mode: min}
                epochs: 1
                fixed: {lr: 1}
                search: {strategy: grid, params: {momentum: [0, 0.5]}}
                """);
        SearchSpace space = SearchSpaceLoader.load(file);
        assertEquals(1.0, space.fixed().get("lr"));
        assertEquals(new Choice(List.of(0.0, 0.5)), ((Param) space.search().entries().get(0)).distribution());
    }

    @Test
    void randomSearchReadsEveryDistributionKind() {
        SearchSpec search = TestSpaces.load("random.yaml").search();
        assertEquals(Strategy.RANDOM, search.strategy());
        assertEquals(10, search.samples());
        assertEquals(List.of(
                new Param("lr", new LogUniform(1e-5, 1.0)),
                new Param("momentum", new Uniform(0.5, 0.99)),
                new Param("depth", new IntUniform(1, 10)),
                new Param("width", new Choice(List.of(8, 16, 32))),
                new Param("activation", new Choice(List.of("relu", "tanh"))),
                new Zip(List.of("batch_size", "epochs"), List.of(List.of(16, 5), List.of(128, 20), List.of(1024, 40)))),
                search.entries());
    }

    @Test
    void yamlAndJsonVersionsLoadToTheSameSpace() {
        SearchSpace yaml = TestSpaces.load("random.yaml");
        SearchSpace json = TestSpaces.load("random.json");
        assertEquals(withoutFileIdentity(yaml), withoutFileIdentity(json));
    }

    @Test
    void fixedParametersCannotBeModified() {
        SearchSpace space = TestSpaces.load("grid-lr-zip.yaml");
        assertThrows(UnsupportedOperationException.class, () -> space.fixed().put("lr", 1.0));
    }

    @Test
    void uppercaseExtensionIsAccepted() throws IOException {
        Path file = write("SPACE.YAML", Files.readString(TestSpaces.path("minimal.yaml")));
        assertEquals("minimal", SearchSpaceLoader.load(file).name());
    }

    private static SearchSpace withoutFileIdentity(SearchSpace s) {
        return new SearchSpace(Path.of("x"), s.name(), s.seed(), s.dataset(), s.modelType(), s.modelClass(), s.init(), s.objective(),
                s.epochs(), s.fixed(), s.search(), s.execution(), s.earlyStopping(), "", java.util.Map.of());
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
