package io.autonomic.remediator.app;

import io.autonomic.avro.ActionCommand;
import io.autonomic.avro.AuditRecord;
import io.autonomic.remediator.core.AuditSink;
import io.autonomic.remediator.core.CommandSink;
import io.autonomic.remediator.guardrail.Proposal;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Collects what the core emits while a batch is processed, so the loop can write it all in one transaction
 * (or drop it when the transaction aborts).
 */
final class TransactionBuffer implements CommandSink, AuditSink {
  private final String actionsTopic;
  private final String auditTopic;
  private final List<ProducerRecord<String, Object>> records = new ArrayList<>();

  TransactionBuffer(String actionsTopic, String auditTopic) {
    this.actionsTopic = actionsTopic;
    this.auditTopic = auditTopic;
  }

  @Override
  public void accept(ActionCommand c) {
    String key = Proposal.targetKey(c.getTarget().getKind(), c.getTarget().getNamespace(), c.getTarget().getName());
    records.add(new ProducerRecord<>(actionsTopic, key, c));
  }

  @Override
  public void accept(AuditRecord r) {
    records.add(new ProducerRecord<>(auditTopic, r.getIncidentId(), r));
  }

  void add(ProducerRecord<String, Object> r) {
    records.add(r);
  }

  List<ProducerRecord<String, Object>> drain() {
    List<ProducerRecord<String, Object>> out = List.copyOf(records);
    records.clear();
    return out;
  }

  boolean isEmpty() {
    return records.isEmpty();
  }

  void clear() {
    records.clear();
  }
}
