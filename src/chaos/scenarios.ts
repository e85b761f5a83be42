// Kept for existing imports: the scenarios, their objectives and timings live in src/scenarios.
export {
  SCENARIOS,
  DEFAULT_OBJECTIVES,
  isScenario,
  parseScenario,
  objectivesFor,
  type ScenarioName,
  type Objectives,
  type ObjectiveOverrides,
} from '../scenarios/index.ts';
