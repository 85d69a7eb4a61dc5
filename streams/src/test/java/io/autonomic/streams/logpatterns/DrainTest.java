package io.autonomic.streams.logpatterns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Drain against the documented behaviour of Drain3 (logpai/Drain3, tests/test_drain.py). */
class DrainTest {
  static final List<String> SSHD = List.of(
      "Dec 10 07:07:38 LabSZ sshd[24206]: input_userauth_request: invalid user test9 [preauth]",
      "Dec 10 07:08:28 LabSZ sshd[24208]: input_userauth_request: invalid user webmaster [preauth]",
      "Dec 10 09:12:32 LabSZ sshd[24490]: Failed password for invalid user ftpuser from 0.0.0.0 port 62891 ssh2",
      "Dec 10 09:12:35 LabSZ sshd[24492]: Failed password for invalid user pi from 0.0.0.0 port 49289 ssh2",
      "Dec 10 09:12:44 LabSZ sshd[24501]: Failed password for invalid user ftpuser from 0.0.0.0 port 60836 ssh2",
      "Dec 10 07:28:03 LabSZ sshd[24245]: input_userauth_request: invalid user pgadmin [preauth]");

  static List<String> mine(Drain drain, List<String> messages) {
    List<String> templates = new ArrayList<>();
    for (String m : messages) {
      templates.add(drain.add(m).template().pattern());
    }
    return templates;
  }

  static Drain drain(double similarity, int maxTemplates) {
    int[] next = {0};
    return new Drain(4, similarity, 100, maxTemplates, tokens -> Integer.toString(++next[0]));
  }

  @Test
  void generalizesTheSshdExampleLikeDrain3() {
    Drain drain = Drain.withDefaults();
    assertThat(mine(drain, SSHD)).containsExactly(
        "Dec 10 07:07:38 LabSZ sshd[24206]: input_userauth_request: invalid user test9 [preauth]",
        "Dec 10 <*> LabSZ <*> input_userauth_request: invalid user <*> [preauth]",
        "Dec 10 09:12:32 LabSZ sshd[24490]: Failed password for invalid user ftpuser from 0.0.0.0 port 62891 ssh2",
        "Dec 10 <*> LabSZ <*> Failed password for invalid user <*> from 0.0.0.0 port <*> ssh2",
        "Dec 10 <*> LabSZ <*> Failed password for invalid user <*> from 0.0.0.0 port <*> ssh2",
        "Dec 10 <*> LabSZ <*> input_userauth_request: invalid user <*> [preauth]");
    assertThat(drain.templates()).hasSize(2);
    assertThat(drain.templates().stream().mapToLong(Drain.Template::size).sum()).isEqualTo(6);
  }

  @Test
  void aHigherSimilarityThresholdGroupsLessLikeDrain3() {
    Drain drain = drain(0.75, Integer.MAX_VALUE);
    assertThat(mine(drain, SSHD)).containsExactly(
        "Dec 10 07:07:38 LabSZ sshd[24206]: input_userauth_request: invalid user test9 [preauth]",
        "Dec 10 07:08:28 LabSZ sshd[24208]: input_userauth_request: invalid user webmaster [preauth]",
        "Dec 10 09:12:32 LabSZ sshd[24490]: Failed password for invalid user ftpuser from 0.0.0.0 port 62891 ssh2",
        "Dec 10 <*> LabSZ <*> Failed password for invalid user <*> from 0.0.0.0 port <*> ssh2",
        "Dec 10 <*> LabSZ <*> Failed password for invalid user <*> from 0.0.0.0 port <*> ssh2",
        "Dec 10 07:28:03 LabSZ sshd[24245]: input_userauth_request: invalid user pgadmin [preauth]");
  }

  @Test
  void reportsCreationThenNoChangeForAMessageShorterThanTheDepth() {
    Drain drain = Drain.withDefaults();
    assertThat(drain.add("word").change()).isEqualTo(Drain.Change.CREATED);
    assertThat(drain.add("word").change()).isEqualTo(Drain.Change.NONE);
    assertThat(drain.add("otherword").change()).isEqualTo(Drain.Change.CREATED);
    assertThat(drain.templates()).hasSize(2);
  }

  @Test
  void forgetsTheLeastRecentlyUsedTemplateBeyondTheLimit() {
    Drain drain = drain(0.4, 1);
    assertThat(mine(drain, List.of("A format 1", "A format 2", "B format 1", "B format 2", "A format 3")))
        .containsExactly("A format 1", "A format <*>", "B format 1", "B format <*>", "A format 3");
    assertThat(drain.templates()).hasSize(1);
  }

  @Test
  void keepsTheRecentlyMatchedTemplatesAcrossLeavesLikeDrain3() {
    Drain drain = drain(0.4, 2);
    assertThat(mine(drain, List.of("A A A", "A A B", "B A A", "B A B", "C A A", "C A B", "B A A", "A A A")))
        .containsExactly("A A A", "A A <*>", "B A A", "B A <*>", "C A A", "C A <*>", "B A <*>", "A A A");
  }

  @Test
  void keepsTheRecentlyMatchedTemplatesInOneLeafLikeDrain3() {
    Drain drain = drain(0.4, 2);
    assertThat(mine(drain, List.of("A A A", "A A B", "A B A", "A B B", "A C A", "A C B", "A B A", "A A A")))
        .containsExactly("A A A", "A A <*>", "A B A", "A B <*>", "A C A", "A C <*>", "A B <*>", "A A A");
  }

  @Test
  void matchesWithoutLearningLikeDrain3() {
    Drain drain = Drain.withDefaults();
    drain.add("aa aa aa");
    drain.add("aa aa bb");
    drain.add("aa aa cc");
    drain.add("xx yy zz");
    assertThat(drain.match("aa aa tt")).map(Drain.Template::id).contains("1");
    assertThat(drain.match("xx yy zz")).map(Drain.Template::id).contains("2");
    assertThat(drain.match("xx yy rr")).isEmpty();
    assertThat(drain.match("nothing")).isEmpty();
  }

  @Test
  void restoredTemplatesMatchAsBefore() {
    Drain first = Drain.withDefaults();
    mine(first, SSHD);
    Drain second = Drain.withDefaults();
    for (Drain.Template t : first.templates()) {
      second.restore(t.id(), t.tokens(), t.size());
    }
    Drain.Result result = second.add(
        "Dec 10 11:03:01 LabSZ sshd[25000]: Failed password for invalid user admin from 0.0.0.0 port 1022 ssh2");
    assertThat(result.change()).isEqualTo(Drain.Change.NONE);
    assertThat(result.template().pattern())
        .isEqualTo("Dec 10 <*> LabSZ <*> Failed password for invalid user <*> from 0.0.0.0 port <*> ssh2");
  }
}
