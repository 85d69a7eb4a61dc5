package io.autonomic.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryConfigTest {

  @Test
  void shouldDefineAndDocumentEveryKeyConstant() throws Exception {
    List<Field> keys = Arrays.stream(RegistryConfig.class.getDeclaredFields())
        .filter(f -> Modifier.isPublic(f.getModifiers()) && Modifier.isStatic(f.getModifiers())
            && f.getType() == String.class).toList();

    assertThat(keys).hasSizeGreaterThanOrEqualTo(20);
    for (Field key : keys) {
      String name = (String) key.get(null);
      assertThat(RegistryConfig.CONFIG_DEF.configKeys()).as(name).containsKey(name);
      assertThat(RegistryConfig.CONFIG_DEF.configKeys().get(name).documentation).as(name).isNotBlank();
    }
  }

  @Test
  void shouldDefaultToConfluentBehaviour() {
    RegistryConfig config = new RegistryConfig(Map.of("bootstrap.servers", "ignored:9092"));

    assertThat(config.getBoolean(RegistryConfig.AUTO_REGISTER_SCHEMAS)).isTrue();
    assertThat(config.getBoolean(RegistryConfig.USE_LATEST_VERSION)).isFalse();
    assertThat(config.getBoolean(RegistryConfig.SPECIFIC_AVRO_READER)).isFalse();
    assertThat(config.subjectNameStrategy()).isEqualTo(SubjectNameStrategy.TOPIC);
    assertThat(config.getInt(RegistryConfig.MAX_ATTEMPTS)).isEqualTo(4);
  }
}
