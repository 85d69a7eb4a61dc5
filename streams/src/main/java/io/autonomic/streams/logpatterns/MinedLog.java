package io.autonomic.streams.logpatterns;

/**
 * A log record after mining: the template it matched and whether it is a template never seen before at WARN or
 * above (a signal of its own).
 */
public record MinedLog(String templateId, String pattern, boolean newAtWarn, String severity, String entityKind,
    long eventTime) {}
