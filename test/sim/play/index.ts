// The Play simulator: load scenario files and play them against the simulated world.
// See test/sim/README.md for the scenario vocabulary.
export { playScenario } from './runner.js';
export type { PlayOptions, PlayTarget } from './runner.js';
export { loadScenario, parseScenario, ScenarioError } from './load.js';
export type { ScenarioProblem } from './load.js';
export type { Action, ActionKind, Expect, ExpectedAlert, Scenario, Step } from './schema.js';
export { ACTION_KINDS } from './schema.js';
export type { SessionStart } from './schema-session.js';
export type { PlayResult, PlayedObject, PlayedPod } from './result.js';
export { WorldClock, makeTimeline, systemClock } from './clock.js';
export type { Clock, Timeline } from './clock.js';
export { httpControl, inProcessControl, probeControl, startControlServer } from './control.js';
export type { ControlServer, LogLine, WorldControl } from './control.js';
export { timedLines } from './loki-steps.js';
export { parseDuration, formatDuration } from './duration.js';
export { botLogin, isSingleState } from './names.js';
export { startHealerSession } from './healer.js';
export type { SessionAnswer } from './healer.js';
