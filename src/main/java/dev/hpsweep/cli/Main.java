package dev.hpsweep.cli;

import dev.hpsweep.journal.JournalReader;
import dev.hpsweep.journal.OsReason;
import dev.hpsweep.space.InputException;
import dev.hpsweep.train.Nd4jRuntime;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.InvalidPathException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code hpsweep}: the entry point, and the one place that turns exceptions into exit codes. */
@Command(name = "hpsweep", mixinStandardHelpOptions = true, version = "hpsweep 0.1.0",
    description = "Actor-based hyperparameter search for Deeplearning4j.",
    subcommands = {RunCommand.class, ResumeCommand.class, ValidateCommand.class, TailCommand.class,
        ReportCommand.class, BenchCommand.class, ModelsCommand.class, WorkerCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    public static void main(String[] args) {
        // Before anything in the JVM draws a UUID (Akka, Jackson): ND4J names every op with one (train.OpIds).
        Nd4jRuntime.installOpIds();
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs {@code hpsweep args} in-process, writing to {@code out} and {@code err}; returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExitCodeExceptionMapper(Main::exitCode);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> report(e, commandLine.getErr()));
        try {
            return cli.execute(args);
        } catch (Error e) {
            // picocli hands only Exceptions to the handler; an Error (out of memory, a stack overflow)
            // would otherwise end the JVM with its raw stack trace.
            return report(e, err);
        }
    }

    private static int report(Throwable e, PrintWriter err) {
        err.println("hpsweep: error: " + message(e));
        if (System.getenv("HPSWEEP_DEBUG") != null) {
            e.printStackTrace(err);
        }
        err.flush();
        return exitCode(e);
    }

    static int exitCode(Throwable e) {
        if (e instanceof InputException || e instanceof CommandLine.ParameterException
            || e instanceof JournalReader.CorruptJournalException) {
            return ExitCodes.BAD_INPUT;
        }
        if (e instanceof UncheckedIOException u && OsReason.isBadPath(u.getCause())
            || e instanceof InvalidPathException) {
            return ExitCodes.BAD_INPUT;
        }
        return ExitCodes.FAILURE;
    }

    private static String message(Throwable e) {
        if (e instanceof InputException) {
            return e.getMessage();
        }
        if (e instanceof OutOfMemoryError) {
            return "out of memory (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                + "; this JVM's heap holds at most " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB)";
        }
        if (e instanceof StackOverflowError) {
            return "out of stack (StackOverflowError): something was nested or recursed too deeply; "
                + "HPSWEEP_DEBUG=1 shows where";
        }
        if (e instanceof Error) {
            return "internal error: " + e + "; HPSWEEP_DEBUG=1 shows where";
        }
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof UncheckedIOException u) {
            // The OS's reason lives in the cause; a message without it would say what failed but not why.
            String why = OsReason.reason(u.getCause());
            return m.contains(why) ? m : m + ": " + OsReason.of(u.getCause(), null);
        }
        return m;
    }
}
