package io.autonomic.testkit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** What each broker test class saw, so that whichever class runs second can compare. */
final class BrokerProbe {

    static final Map<String, String> BOOTSTRAP_SEEN_BY_CLASS = new ConcurrentHashMap<>();

    private BrokerProbe() {
    }
}
