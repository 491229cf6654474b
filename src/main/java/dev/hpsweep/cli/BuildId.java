package dev.hpsweep.cli;

import dev.hpsweep.journal.Provenance;
import dev.hpsweep.models.ModelType;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Map;
import java.util.TreeMap;

/**
 * What "the same build" means for a cluster: hpsweep's own jar (its SHA-256), the jar of the
 * sweep's model type when that is a user's, and the versions of the libraries that decide
 * results (DL4J, ND4J, XGBoost, ...), and libnd4j's native build where the model type's numbers
 * depend on it ({@link ModelType#dependsOnNativeBuild}). Run from a classes directory (tests, an IDE) the code
 * counts as its directory's name, so two JVMs on one class path agree.
 */
final class BuildId {
    private BuildId() {
    }

    static String of(ModelType type) {
        Map<String, String> parts = new TreeMap<>();
        parts.put("hpsweep", codeOf(BuildId.class));
        String model = codeOf(type.getClass());
        if (!model.equals(parts.get("hpsweep"))) {
            parts.put("model", model);
        }
        Provenance.environment().forEach((k, v) -> {
            boolean sameNumbers = k.equals("nd4j-native-build") && !type.dependsOnNativeBuild();
            if (!k.equals("java") && !k.equals("os") && !k.equals("cores") && !sameNumbers) {
                parts.put(k, v);
            }
        });
        return Fingerprints.sha256(parts.toString()).substring(0, 16) + " " + parts.getOrDefault("deeplearning4j-nn", "");
    }

    private static String codeOf(Class<?> c) {
        CodeSource source = c.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return "unknown";
        }
        try {
            Path where = Path.of(source.getLocation().toURI());
            if (Files.isRegularFile(where)) {
                return Fingerprints.sha256(Files.readAllBytes(where));
            }
            return "classes:" + where.getFileName();
        } catch (IOException | URISyntaxException | IllegalArgumentException e) {
            return "unknown";
        }
    }
}
