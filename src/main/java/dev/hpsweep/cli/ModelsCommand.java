package dev.hpsweep.cli;

import dev.hpsweep.data.DataKind;
import dev.hpsweep.models.ModelRegistry;
import dev.hpsweep.models.ModelType;
import dev.hpsweep.space.InputException;
import dev.hpsweep.space.ParamDef;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hpsweep models [TYPE...]}: the model types this build knows (users' from the class path
 * included), the data they accept and every parameter with its rule, default and meaning.
 */
@Command(name = "models", mixinStandardHelpOptions = true,
    description = "List the model types (built in and from jars on the class path) and their parameters.")
final class ModelsCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "TYPE", description = "only these model types (default: all)")
    List<String> only = List.of();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ModelRegistry registry = ModelRegistry.installed();
        PrintWriter out = spec.commandLine().getOut();
        for (String name : only.isEmpty() ? registry.types() : only) {
            if (!registry.isKnown(name)) {
                throw new InputException("models", 0, 0, null, "unknown model type '" + name + "'; known: "
                    + String.join(", ", registry.types()));
            }
            ModelType type = registry.type(name);
            out.printf(Locale.ROOT, "%s (%s; data: %s)%n", name, type.getClass().getName(),
                String.join(", ", type.accepts().stream().map(DataKind::label).sorted().toList()));
            for (ParamDef p : registry.params(name)) {
                out.printf(Locale.ROOT, "  %-20s %s%s. %s%n", p.name(), p.describe(),
                    p.defaultValue() == null ? "" : "; default " + p.defaultValue(), p.doc());
            }
            out.println();
        }
        out.flush();
        return ExitCodes.OK;
    }
}
