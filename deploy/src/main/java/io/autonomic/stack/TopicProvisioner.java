package io.autonomic.stack;

import io.autonomic.schemas.Topic;
import io.autonomic.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/** Creates the topics of the topic contract ({@link Topics#ALL}) that do not exist yet. */
public final class TopicProvisioner {
  private TopicProvisioner() {}

  /** Returns the names of the topics it created; existing topics are left as they are. */
  public static List<String> ensureTopics(Admin admin) throws ExecutionException, InterruptedException,
      java.util.concurrent.TimeoutException {
    Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
    List<NewTopic> missing = new ArrayList<>();
    for (Topic t : Topics.ALL) {
      if (!existing.contains(t.name())) {
        Map<String, String> configs = t.compacted()
            ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
            : Map.of();
        missing.add(new NewTopic(t.name(), t.defaultPartitions(), (short) 1).configs(configs));
      }
    }
    if (!missing.isEmpty()) {
      admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
    }
    return missing.stream().map(NewTopic::name).toList();
  }
}
