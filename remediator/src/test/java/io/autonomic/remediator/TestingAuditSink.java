package io.autonomic.remediator;

import io.autonomic.avro.AuditDecision;
import io.autonomic.avro.AuditRecord;
import io.autonomic.remediator.core.AuditSink;
import java.util.ArrayList;
import java.util.List;

/** Records every audit record. */
public final class TestingAuditSink implements AuditSink {
  private final List<AuditRecord> records = new ArrayList<>();

  @Override
  public void accept(AuditRecord record) {
    records.add(record);
  }

  public List<AuditRecord> records() {
    return records;
  }

  public List<AuditRecord> withDecision(AuditDecision d) {
    return records.stream().filter(r -> r.getDecision() == d).toList();
  }

  public AuditRecord last() {
    return records.get(records.size() - 1);
  }
}
