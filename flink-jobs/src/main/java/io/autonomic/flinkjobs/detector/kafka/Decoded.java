package io.autonomic.flinkjobs.detector.kafka;

import io.autonomic.avro.DeadLetter;
import io.autonomic.avro.MetricPoint;

/** What the Kafka source read: a valid point, or a dead letter for a record that could not be one. */
public class Decoded {
  public MetricPoint point;
  public DeadLetter deadLetter;

  public Decoded() {}

  public static Decoded point(MetricPoint p) {
    Decoded d = new Decoded();
    d.point = p;
    return d;
  }

  public static Decoded deadLetter(DeadLetter dl) {
    Decoded d = new Decoded();
    d.deadLetter = dl;
    return d;
  }

  /** Event time of a point; dead letters take no part in watermarks. */
  public long eventTime() {
    return point != null ? point.getEventTime().toEpochMilli() : Long.MIN_VALUE;
  }
}
