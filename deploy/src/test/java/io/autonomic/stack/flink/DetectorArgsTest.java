package io.autonomic.stack.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.config.Config;
import io.autonomic.config.ConfigLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DetectorArgsTest {
  @Test
  void flagsEnvironmentAndStackAddressesBecomeSetArgumentsButSecretsDoNot() {
    Config config = ConfigLoader.load(null,
        List.of("detector.window.size=30s", "kafka.sasl.jaas.config=org.example.Login required;"),
        Map.of("AUTONOMIC_DETECTOR_THRESHOLD", "0.95"),
        Map.of("kafka.bootstrap.servers", new Config.Entry("127.0.0.1:9092", "stack.properties"),
            "registry.url", new Config.Entry("http://127.0.0.1:8081/apis/ccompat/v7", "stack.properties")));

    List<String> args = FlinkJobSubmitter.detectorArgs(config);

    assertThat(args).containsSubsequence("--set", "detector.window.size=30s")
        .containsSubsequence("--set", "detector.threshold=0.95")
        .containsSubsequence("--set", "kafka.bootstrap.servers=127.0.0.1:9092")
        .containsSubsequence("--set", "registry.url=http://127.0.0.1:8081/apis/ccompat/v7");
    assertThat(args).noneMatch(a -> a.contains("jaas"));
    assertThat(args.size() % 2).isZero();
  }
}
