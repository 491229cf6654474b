package dev.hpsweep.journal;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * What a result depends on besides its parameters: library and Java versions, read from the
 * class path, plus the seed and data fingerprint the caller adds. Written once per sweep
 * (provenance.json) and repeated in each trial.json.
 */
public final class Provenance {
    /** group:artifact of the libraries whose versions decide a result. */
    private static final String[] LIBRARIES = {
        "org.deeplearning4j:deeplearning4j-nn",
        "org.nd4j:nd4j-api",
        "org.nd4j:nd4j-native",
        "com.typesafe.akka:akka-actor-typed_2.13",
        "com.fasterxml.jackson.core:jackson-databind",
        "ml.dmlc:xgboost4j_2.12",
    };

    private Provenance() {
    }

    /** Library versions found on the class path (absent ones are left out), then Java and OS. */
    public static Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String lib : LIBRARIES) {
            String[] ga = lib.split(":");
            String version = mavenVersion(ga[0], ga[1]);
            if (version != null) {
                env.put(ga[1], version);
            }
        }
        env.put("nd4j-native-build", nativeBuild());
        // hpsweep's switches that change a network's numbers, when set away from their defaults
        StringBuilder helpers = new StringBuilder();
        for (String flag : new String[] {"hpsweep.onednn.conv", "hpsweep.fused.batchnorm"}) {
            if ("false".equalsIgnoreCase(System.getProperty(flag, "true"))) {
                helpers.append(helpers.isEmpty() ? "" : ",").append(flag).append("=false");
            }
        }
        if (!helpers.isEmpty()) {
            env.put("layer-helpers", helpers.toString());
        }
        env.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        env.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        return env;
    }

    /**
     * Which libnd4j build JavaCPP loads: the one {@code org.bytedeco.javacpp.platform.extension}
     * asks for ({@code -onednn} from bin/hpsweep) when its jar is on the class path, else the plain
     * one. A ResNet's numbers differ between the two (oneDNN convolutions), so a cluster's workers
     * must agree on it (cli.BuildId) and a sweep records it.
     */
    static String nativeBuild() {
        String extension = System.getProperty("org.bytedeco.javacpp.platform.extension", "");
        String arch = switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64" -> "arm64";
            default -> System.getProperty("os.arch", "");
        };
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        String platform = (os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "macosx"
            : os.startsWith("windows") ? "windows" : os) + "-" + arch;
        if (!extension.isEmpty() && Provenance.class.getResource(
            "/org/nd4j/linalg/cpu/nativecpu/bindings/" + platform + extension + "/") != null) {
            return extension.substring(1);
        }
        return "plain";
    }

    private static String mavenVersion(String group, String artifact) {
        String resource = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = Provenance.class.getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            return null;
        }
    }
}
