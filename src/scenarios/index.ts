// The scenario table, objectives and timing profiles: what every scenario-aware part of solida reads.
export * from './table.ts';
export * from './objectives.ts';
export * from './profiles.ts';
