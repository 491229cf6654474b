package dev.hpsweep.train;

import dev.hpsweep.journal.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import ml.dmlc.xgboost4j.java.XGBoostJNI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads XGBoost4J's native library from one fixed place per version, and gives a calling thread its
 * OpenMP threads.
 *
 * <p>XGBoost4J's own loader ({@code NativeLibLoader}) copies the 17 MB library out of its jar into a
 * new {@code java.io.tmpdir} file on every JVM start and only deletes it at a normal exit, so each
 * killed sweep leaves one behind. Its one knob, {@code xgboostruntime.native.xgboost4j}, names a
 * resource inside the jar, not a file, and does not change where the copy goes. So this class
 * extracts the library once to {@link #DIR_PROPERTY} (default
 * {@code ~/.cache/hpsweep/xgboost4j-<version>/}, written atomically, reused by every later JVM), loads
 * it with {@link System#load}, and marks XGBoost4J's loader as done, so it copies nothing. Where that
 * loader cannot be reached (another XGBoost4J version), it is left to do its own loading.
 *
 * <p>Every XGBoost class must be touched only after {@link #load()}: its JNI class runs the loader when
 * it is first initialised.
 */
public final class XgboostNative {
    /** System property: the directory the library is extracted to and loaded from. */
    public static final String DIR_PROPERTY = "hpsweep.xgboost.native.dir";
    private static final String LOADER_CLASS = "ml.dmlc.xgboost4j.java.NativeLibLoader";
    private static final String LIBRARY = "xgboost4j";
    private static final Logger log = LoggerFactory.getLogger(XgboostNative.class);
    private static Path loadedFrom;
    private static boolean loaded;

    private XgboostNative() {
    }

    /** Loads the library, once per JVM; later calls return at once. */
    public static synchronized void load() {
        if (loaded) {
            return;
        }
        loaded = true;
        if (System.getProperty("xgboostruntime.native." + LIBRARY) != null) {
            return; // someone chose the library resource on purpose: XGBoost4J's loader honours that
        }
        try {
            Class<?> loader = Class.forName(LOADER_CLASS, false, XgboostNative.class.getClassLoader());
            Field initialized = loader.getDeclaredField("initialized");
            initialized.setAccessible(true);
            // JNI finds native methods among the libraries that their class's loader has loaded.
            if (loader.getClassLoader() != XgboostNative.class.getClassLoader()) {
                throw new IllegalStateException("XGBoost4J is in another class loader");
            }
            String resource = "/lib/" + platform() + "/" + System.mapLibraryName(LIBRARY);
            URL url = loader.getResource(resource);
            if (url == null) {
                throw new IllegalStateException(resource + " is not in XGBoost4J's jar");
            }
            // Its initXGBoost is static synchronized: holding the class keeps its loader out meanwhile.
            synchronized (loader) {
                if (initialized.getBoolean(null)) {
                    return;
                }
                Path file = extract(url, directory().resolve(System.mapLibraryName(LIBRARY)));
                System.load(file.toString());
                initialized.setBoolean(null, true);
                loadedFrom = file;
            }
        } catch (ReflectiveOperationException | RuntimeException | UnsatisfiedLinkError e) {
            log.warn("XGBoost4J will load its own copy of the native library (into {}): {}",
                    System.getProperty("java.io.tmpdir"), e.toString());
        }
    }

    /** The file the library was loaded from, or null where XGBoost4J's own loader did it. */
    static synchronized Path loadedFrom() {
        return loadedFrom;
    }

    /**
     * Lets XGBoost calls made on this thread use {@code threads} threads. XGBoost caps its
     * {@code nthread} parameter at the calling thread's OpenMP limit, which OMP_NUM_THREADS=1 (set
     * for DL4J) makes 1; its global configuration's {@code nthread} raises that limit, for the calling
     * thread only, so this is called on whichever thread is about to train or predict. Threads share
     * libgomp with libnd4j, so the limit also holds for ND4J work later run on the same thread.
     */
    static void useThreads(int threads) {
        load();
        int rc = XGBoostJNI.XGBSetGlobalConfig("{\"nthread\": " + threads + "}");
        if (rc != 0) {
            throw new TrainingFailedException("XGBoost refused nthread=" + threads + ": " + XGBoostJNI.XGBGetLastError());
        }
    }

    /** The configured directory, else {@code $XDG_CACHE_HOME} or {@code ~/.cache}, under hpsweep/xgboost4j-<version>. */
    static Path directory() {
        String configured = System.getProperty(DIR_PROPERTY);
        if (configured != null) {
            return Path.of(configured).toAbsolutePath();
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("hpsweep").resolve("xgboost4j-" + version()).toAbsolutePath();
    }

    /** The library at {@code target}, copied there first unless a whole copy (same size) is there already. */
    private static Path extract(URL url, Path target) {
        try {
            URLConnection connection = url.openConnection();
            long size = connection.getContentLengthLong();
            if (Files.isRegularFile(target) && size >= 0 && Files.size(target) == size) {
                return target;
            }
            try (InputStream in = connection.getInputStream()) {
                AtomicFiles.write(target, in::transferTo);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the XGBoost library to " + target, e);
        }
    }

    private static String version() {
        Properties p = new Properties();
        try (InputStream in = XgboostNative.class.getResourceAsStream("/xgboost4j-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // An unnamed version still gets a directory of its own below.
        }
        return p.getProperty("version", "unknown");
    }

    /** XGBoost4J's jar layout: {@code lib/<os>/<arch>/}. */
    private static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String osDir = os.contains("mac") || os.contains("darwin") ? "macos"
                : os.contains("win") ? "windows" : os.contains("nux") ? "linux" : null;
        String archDir = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64"
                : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : null;
        if (osDir == null || archDir == null) {
            throw new IllegalStateException("no XGBoost4J library for " + os + "/" + arch);
        }
        return osDir + "/" + archDir;
    }
}
