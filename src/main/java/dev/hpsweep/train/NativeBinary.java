package dev.hpsweep.train;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Which libnd4j build ND4J loaded: its build information names the optional libraries compiled
 * in ({@code HAVE_ONEDNN}, {@code HAVE_OPENBLAS}, ...). The launcher asks JavaCPP for the
 * {@code -onednn} flavour of nd4j-native ({@code org.bytedeco.javacpp.platform.extension}); where
 * that jar is missing (another platform), JavaCPP loads the plain one.
 */
final class NativeBinary {
    private NativeBinary() {
    }

    /** libnd4j's build information, one line ("GCC: 7.5.0 | ... | HAVE_ONEDNN | HAVE_OPENBLAS"). */
    static String buildInfo() {
        Nd4j.getExecutioner(); // loads the backend first: NativeOpsHolder reads the configuration it leaves
        return NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo().trim().replace('\n', ' ');
    }

    /** Whether the loaded libnd4j was built with oneDNN. */
    static boolean hasOneDnn() {
        return buildInfo().contains("HAVE_ONEDNN");
    }
}
