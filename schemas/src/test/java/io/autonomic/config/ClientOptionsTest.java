package io.autonomic.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientOptionsTest {

  @Test
  void everyDeclaredOptionShouldBeListedAndDescribed() throws IllegalAccessException {
    List<ConfigOption<?>> declared = new ArrayList<>();
    for (Field f : ClientOptions.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigOption.class) {
        declared.add((ConfigOption<?>) f.get(null));
      }
    }

    assertThat(ClientOptions.ALL).containsExactlyInAnyOrderElementsOf(declared);
    assertThat(declared).allSatisfy(o -> {
      assertThat(o.description()).as(o.key()).hasSizeGreaterThan(10);
      assertThat(o.key()).as(o.key())
          .matches(k -> k.startsWith(ClientOptions.KAFKA + ".") || k.startsWith(ClientOptions.REGISTRY + "."));
    });
  }

  @Test
  void secretOptionsShouldBeRecognisedAsSecretByName() {
    ClientOptions.ALL.stream().filter(ConfigOption::isSecret)
        .forEach(o -> assertThat(Config.looksSecret(o.key())).as(o.key()).isTrue());
  }

  @Test
  void registryPropertiesShouldUseTheSerdeKeyNames() {
    Config config = ConfigLoader.load(null, List.of("registry.url=https://r:8081",
        "registry.ssl.truststore.location=/ts.p12", "registry.auto.register.schemas=false"),
        java.util.Map.of(), java.util.Map.of());

    assertThat(ClientOptions.registryProperties(config))
        .containsEntry("schema.registry.url", "https://r:8081")
        .containsEntry("schema.registry.ssl.truststore.location", "/ts.p12")
        .containsEntry("auto.register.schemas", false);
  }
}
