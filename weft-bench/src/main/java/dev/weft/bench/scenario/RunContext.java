package dev.weft.bench.scenario;

import dev.weft.bench.load.LoadGenerator;
import dev.weft.bench.load.Progress;
import dev.weft.bench.target.Target;

/** What a scenario gets for one run against one started target. */
public record RunContext(Target target, Target.Running server, LoadGenerator generator, Progress progress,
                         ScenarioOptions options, int repeat) {
}
