package io.autonomic.cli;

import io.autonomic.flinkjobs.backtest.StreamingBacktest;
import io.autonomic.flinkjobs.detector.scoring.Scorers;
import io.autonomic.flinkjobs.eval.EvalReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Backtests the detector on a NAB-format corpus: the detector pipeline runs as a bounded Flink job over the CSVs
 * in a local MiniCluster, writes one scored CSV per input file under {@code --out}, and prints NAB's scores.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Backtest the detector on a NAB-format corpus (bounded Flink job) and print the NAB scores.")
final class EvalCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, paramLabel = "DIR", description = "Directory of the series CSVs.")
  Path data;

  @Option(names = "--labels", required = true, paramLabel = "FILE",
      description = "NAB combined_windows.json with the anomaly windows.")
  Path labels;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the scored CSVs go.")
  Path out;

  @Option(names = "--detector", defaultValue = Scorers.COMBINED,
      description = "Statistical detector (default: ${DEFAULT-VALUE}); one of: combined, level, dynamics, "
          + "seasonal, shift, extreme.")
  String detector;

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(data)) {
      System.err.println("eval: --data " + data + " is not a directory");
      return 2;
    }
    if (!Files.isRegularFile(labels)) {
      System.err.println("eval: --labels " + labels + " is not a file");
      return 2;
    }
    if (!Scorers.names().contains(detector)) {
      System.err.println("eval: unknown --detector '" + detector + "'; valid: " + String.join(", ", Scorers.names()));
      return 2;
    }
    EvalReport report = StreamingBacktest.run(StreamExecutionEnvironment.createLocalEnvironment(1), data, labels,
        out, detector);
    System.out.print(report.format());
    return 0;
  }
}
