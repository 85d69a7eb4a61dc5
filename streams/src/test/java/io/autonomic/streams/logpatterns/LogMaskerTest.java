package io.autonomic.streams.logpatterns;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogMaskerTest {
  final LogMasker masker = new LogMasker();

  @Test
  void masksStandaloneNumbersButNotTokensWithLetters() {
    // Drain3's tests/test_masking.py example, with Autonomic's <NUM> mask
    assertThat(masker.mask("D9 test 999 888 1A ccc 3")).isEqualTo("D9 test <NUM> <NUM> 1A ccc <NUM>");
  }

  @Test
  void masksIpsHexAndUuids() {
    assertThat(masker.mask("connect to 10.0.0.12 failed, code 0x1F, request 3f2504e0-4f89-11d3-9a0c-0305e82c3301"))
        .isEqualTo("connect to <IP> failed, code <HEX>, request <UUID>");
  }

  @Test
  void masksColonSeparatedIds() {
    assertThat(masker.mask("mac aa:bb:cc:dd:ee:ff up")).isEqualTo("mac <ID> up");
  }
}
