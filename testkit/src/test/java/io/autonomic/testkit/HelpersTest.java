package io.autonomic.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class HelpersTest {

    @Test
    void uniqueNamesDoNotRepeatAndAreLegalTopicNames() {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            names.add(UniqueNames.next("metrics/by host"));
        }

        assertThat(names).hasSize(1000).allMatch(n -> n.matches("metrics_by_host-\\d+-[a-z0-9]+"));
        assertThat(UniqueNames.next("x".repeat(400))).hasSizeLessThanOrEqualTo(249);
    }

    @Test
    void anExternalRegistryMayBeGivenByItsRootOrItsCcompatUrl() {
        assertThat(HttpTestRegistry.fromUrl("http://reg:8080/apis/ccompat/v7/", true).baseUrl())
                .isEqualTo("http://reg:8080");
        assertThat(HttpTestRegistry.fromUrl("http://reg:8080", true).ccompatUrl())
                .isEqualTo("http://reg:8080/apis/ccompat/v7");
    }

    @Test
    void schemasAreEscapedAsJsonStrings() {
        assertThat(HttpTestRegistry.jsonString("{\"doc\":\"a\\b\"}\n\u0001"))
                .isEqualTo("\"{\\\"doc\\\":\\\"a\\\\b\\\"}\\n\\u0001\"");
    }
}
