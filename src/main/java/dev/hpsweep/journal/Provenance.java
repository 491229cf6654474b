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
        env.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        env.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        return env;
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
