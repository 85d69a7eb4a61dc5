package io.autonomic.streams.logpatterns;

/**
 * One entry of the template catalog (value of the catalog store, JSON; its changelog is a compacted topic, so the
 * latest entry per template id is kept).
 *
 * @param id        template id, stable across restarts: a hash of the message that created the template
 * @param pattern   the template, variable tokens as {@code <*>} or named masks such as {@code <NUM>}
 * @param firstSeen event time (epoch ms) of the first message
 * @param lastSeen  event time (epoch ms) of the latest message
 * @param count     messages matched so far
 */
public record TemplateInfo(String id, String pattern, long firstSeen, long lastSeen, long count) {}
