package io.autonomic.remediator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.config.ConfigException;
import io.autonomic.config.ConfigLoader;
import io.autonomic.config.ConfigOption;
import io.autonomic.remediator.executor.ExecutorOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsTest {
  static List<ConfigOption<?>> all() {
    List<ConfigOption<?>> all = new ArrayList<>(RemediatorOptions.ALL);
    all.addAll(ExecutorOptions.ALL);
    return all;
  }

  @Test
  void everyOptionHasADescriptionAndAUniqueKey() {
    assertThat(all()).allSatisfy(o -> assertThat(o.description()).as(o.key()).isNotBlank());
    assertThat(new HashSet<>(all().stream().map(ConfigOption::key).toList())).hasSize(all().size());
  }

  @Test
  void everyDeclaredOptionIsListed() throws IllegalAccessException {
    for (Class<?> c : List.of(RemediatorOptions.class, ExecutorOptions.class)) {
      for (var f : c.getDeclaredFields()) {
        if (f.getType() == ConfigOption.class) {
          assertThat(all()).as(c.getSimpleName() + "." + f.getName()).contains((ConfigOption<?>) f.get(null));
        }
      }
    }
  }

  @Test
  void anUnknownRemediatorKeyIsRejectedWithItsName() {
    var config = ConfigLoader.load(null, List.of("remediator.dryrun=true"), Map.of(), Map.of());

    assertThatThrownBy(() -> RemediatorApp.validate(config)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("remediator.dryrun");
  }

  @Test
  void aBadValueNamesItsOrigin() {
    var config = ConfigLoader.load(null, List.of("remediator.command.ttl=soon"), Map.of(), Map.of());

    assertThatThrownBy(() -> RemediatorApp.validate(config)).hasMessageContaining("flag --set remediator.command.ttl");
  }
}
