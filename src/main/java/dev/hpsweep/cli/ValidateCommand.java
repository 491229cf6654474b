package dev.hpsweep.cli;

import dev.hpsweep.data.DataKind;
import dev.hpsweep.schedule.EarlyStoppingRules;
import dev.hpsweep.space.SearchSpec;
import dev.hpsweep.space.TrialTable;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hpsweep validate FILE}: checks a search-space file and prints its trials, training nothing. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Check a search-space file and its data set, and print the trials it expands to.")
final class ValidateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "search-space file (.yaml, .yml or .json)")
    Path file;

    @Option(names = "--logs", paramLabel = "DIR", defaultValue = "logs",
        description = "root of the logs, where a model.init sweep is looked up (default: ${DEFAULT-VALUE})")
    Path logs;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SweepInputs in = SweepInputs.load(file, logs);
        var out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%s: sweep '%s', %d trials, %s model, objective %s (%s), data %s (%s, %d classes, %d/%d/%d rows)%n",
            file, in.space().name(), planned(in), in.space().modelType(), in.space().objective().metric(),
            in.space().objective().mode().name().toLowerCase(Locale.ROOT), in.data().name(), in.data().shape(),
            in.data().numClasses(),
            in.data().train().size(), in.data().validation().size(), in.data().test().size());
        if (in.data().kind() == DataKind.IMAGES) {
            // The class names come from the user's folder names, so show how they were read.
            out.printf(Locale.ROOT, "classes: %s%n", String.join(", ", in.data().classNames()));
        }
        SearchSpec search = in.space().search();
        if (search.strategy() == SearchSpec.Strategy.TPE) {
            String total = search.maxTrials() > 0 ? search.maxTrials() + " trials" : "trials";
            out.printf(Locale.ROOT, "strategy tpe: %s%s; the first %d are drawn at random (below), the rest are "
                + "proposed adaptively from the results as the sweep runs%n", total,
                search.timeBudgetSeconds() > 0 ? " (no new ones after " + search.timeBudgetSeconds() + "s)" : "",
                in.trials().size());
        } else if (search.timeBudgetSeconds() > 0) {
            out.printf(Locale.ROOT, "no new trials start after %ds%n", search.timeBudgetSeconds());
        }
        out.printf(Locale.ROOT, "early stopping: %s%n", EarlyStoppingRules.describe(in.space().earlyStopping()));
        out.print(TrialTable.format(in.trials()));
        out.flush();
        return ExitCodes.OK;
    }

    /** TPE proposes most of its trials while it runs: its length is max_trials (or the startup trials, if only a budget ends it). */
    private static int planned(SweepInputs in) {
        SearchSpec search = in.space().search();
        return search.strategy() == SearchSpec.Strategy.TPE ? Math.max(in.trials().size(), search.maxTrials())
            : in.trials().size();
    }
}
