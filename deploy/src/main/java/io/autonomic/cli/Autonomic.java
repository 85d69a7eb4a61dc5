package io.autonomic.cli;

import io.autonomic.config.ConfigException;
import io.autonomic.stack.StackException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ./autonomic} launcher. Each component adds its own subcommand here; shared flags live
 * in the mixins {@link StackOptions} (where the local stack is) and {@link ClientOptionsMixin}
 * (how to reach Kafka and the registry).
 */
@Command(name = "autonomic", mixinStandardHelpOptions = true, versionProvider = Autonomic.Version.class,
    description = "Autonomic: a streaming AIOps pipeline, the self-healing loop of an autonomous cloud.",
    subcommands = {
        DemoCommand.class,
        UpCommand.class,
        DownCommand.class,
        StatusCommand.class,
        ConsumeCommand.class,
        RemediatorCommand.class,
        ExecutorCommand.class,
        AgentCommand.class,
        ReplayCommand.class,
        StreamsCommand.class,
        DetectorCommand.class,
        SubmitCommand.class,
        EvalCommand.class,
        TrainCommand.class,
        CommandLine.HelpCommand.class,
    })
public final class Autonomic implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // Our logging config by name: a jar on the classpath (Kafka's test kit) ships a log4j2.properties,
    // which log4j would otherwise prefer to ours. Set before the first logger is created.
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", "autonomic-log4j2.xml");
    }
    System.exit(run(args));
  }

  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The configured command line: expected errors print one line, unexpected ones the trace. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Autonomic());
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      if (ex instanceof StackException || ex instanceof ConfigException) {
        commandLine.getErr().println("autonomic " + commandLine.getCommandName() + ": " + ex.getMessage());
        return 2;
      }
      throw ex;
    });
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Autonomic.class.getPackage().getImplementationVersion();
      return new String[] {"autonomic " + (v == null ? "development build" : v)};
    }
  }
}
