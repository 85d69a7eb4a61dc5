package io.autonomic.remediator.core;

import io.autonomic.avro.AuditRecord;

/** Where every decision goes (remediation.audit, or a test fake). */
@FunctionalInterface
public interface AuditSink {
  void accept(AuditRecord record);
}
