#!/bin/bash
# Creates Autonomic's topic contract (io.autonomic.schemas.Topics.ALL: name, partitions, compaction) on a
# one-broker cluster. Idempotent. Usage: create-topics.sh BOOTSTRAP. ComposeFileTest keeps it in step with Topics.
set -euo pipefail
BOOTSTRAP="$1"
create() {
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
    --replication-factor 1 --topic "$@"
}
create telemetry.metrics --partitions 6
create telemetry.logs --partitions 6
create telemetry.raw.otlp --partitions 3
create telemetry.raw.influx --partitions 3
create telemetry.raw.json --partitions 3
create telemetry.dlq --partitions 3
create anomalies --partitions 3
create incidents --partitions 3
create actions --partitions 3
create action-results --partitions 3
create remediation.audit --partitions 3
create models --partitions 1 --config cleanup.policy=compact
create remediator.state --partitions 3 --config cleanup.policy=compact
create approvals --partitions 1
