package dev.hpsweep.cli;

import dev.hpsweep.space.TrialTable;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hpsweep validate FILE}: checks a search-space file and prints its trials, training nothing. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Check a search-space file and its data set, and print the trials it expands to.")
final class ValidateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "search-space file (.yaml, .yml or .json)")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SweepInputs in = SweepInputs.load(file);
        var out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%s: sweep '%s', %d trials, %s model, objective %s (%s), data %s (%d classes, %d/%d/%d rows)%n",
            file, in.space().name(), in.trials().size(), in.space().modelType(), in.space().objective().metric(),
            in.space().objective().mode().name().toLowerCase(Locale.ROOT), in.data().name(), in.data().numClasses(),
            in.data().train().size(), in.data().validation().size(), in.data().test().size());
        out.print(TrialTable.format(in.trials()));
        out.flush();
        return ExitCodes.OK;
    }
}
