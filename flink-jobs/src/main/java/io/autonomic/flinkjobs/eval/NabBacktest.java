package io.autonomic.flinkjobs.eval;

import io.autonomic.flinkjobs.detector.scoring.Scorers;
import java.nio.file.Path;

/**
 * Fast in-process NAB backtest, for detector development:
 * {@code java ... NabBacktest --data DIR --labels FILE --out DIR [--detector NAME] [--per-file]}.
 * {@code --detector all} runs the combined detector and each component (the ablation table).
 */
public final class NabBacktest {

  private NabBacktest() {}

  public static void main(String[] args) throws Exception {
    Path data = null;
    Path labels = null;
    Path out = null;
    String detector = Scorers.COMBINED;
    boolean perFile = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--data" -> data = Path.of(args[++i]);
        case "--labels" -> labels = Path.of(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--detector" -> detector = args[++i];
        case "--per-file" -> perFile = true;
        default -> {
          System.err.println("unknown argument '" + args[i] + "'; usage: --data DIR --labels FILE"
              + " --out DIR [--detector " + String.join("|", Scorers.names()) + "|all] [--per-file]");
          System.exit(2);
        }
      }
    }
    if (data == null || labels == null || out == null) {
      System.err.println("--data, --labels and --out are required");
      System.exit(2);
    }
    Iterable<String> detectors =
        detector.equals("all") ? Scorers.names() : java.util.List.of(detector);
    for (String d : detectors) {
      Path o = detector.equals("all") ? out.resolve(d) : out;
      EvalReport r = Eval.run(data, labels, o, d);
      System.out.print(r.format());
      if (perFile) {
        double thr = r.profiles().get(0).threshold();
        Eval.perFile(data, labels, o, thr, NabProfile.STANDARD).forEach(System.out::println);
      }
      System.out.println();
    }
  }
}
