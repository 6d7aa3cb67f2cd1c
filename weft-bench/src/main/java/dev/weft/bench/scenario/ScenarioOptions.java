package dev.weft.bench.scenario;

import java.time.Duration;
import java.util.List;

/**
 * Knobs shared by scenarios, already resolved for quick or full runs.
 *
 * @param sizes        connection counts to run (subscribers, connections held, or connections per step)
 * @param rates        offered load per step: deliveries/s for fanout and many-channels, connects/s for
 *                     connect-storm; the scenario stops stepping once a target falls behind
 * @param stepDuration how long each load step publishes (or, for connect-storm, connects)
 * @param maxConnections what the open-file limit lets one process hold
 */
public record ScenarioOptions(boolean quick, List<Integer> sizes, List<Double> rates, Duration stepDuration,
                              int maxConnections) {
}
