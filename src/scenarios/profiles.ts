// Timing profiles: how long the managed parts of a DR scenario take (failure detection by RDS, people
// deciding, a restore, DNS), as named delays. The lab runs real processes that recover in seconds; these
// delays stand for what the lab cannot do for real, so a game day's RTO says something about the
// reference architecture and not only about loopback.
//
// `reference` copies the reference architecture's documented figures ("Nube Sólida", section 4.3.3,
// "DISASTER RECOVERY RUNBOOK", expected timelines; RDS LatestRestorableTime from the RDS user guide).
// The figures are copied here, with their source, because nothing may read the reference at run time.
// `short` keeps the same steps with delays of seconds, for the demo and the tests; a report always says
// which profile ran.

export const PROFILES = ['short', 'reference'] as const;
export type ProfileName = (typeof PROFILES)[number];

export const DELAY_NAMES = [
  'rdsFailoverDetection',
  'drActivationDecision',
  'drDatabaseRestore',
  'drAppDeploy',
  'dnsPropagation',
  'corruptionIdentification',
  'pitrRestoreDuration',
  'restoreValidation',
  'restorableTimeLag',
] as const;
export type DelayName = (typeof DELAY_NAMES)[number];

export interface DelaySpec {
  seconds: number;
  /** Where the figure comes from. */
  source: string;
}

export interface TimingProfile {
  name: ProfileName;
  description: string;
  /**
   * Delays up to this many seconds are slept (they are in the measured time); longer ones are modelled:
   * not slept, added to the measured time in the report as a separate, named figure.
   */
  sleepUpToSeconds: number;
  delays: Record<DelayName, DelaySpec>;
}

const REF = 'reference "Nube Sólida" §4.3.3 DR runbook';

export const TIMING_PROFILES: Readonly<Record<ProfileName, TimingProfile>> = {
  reference: {
    name: 'reference',
    description: "the reference architecture's documented timelines (minutes: modelled, not slept)",
    sleepUpToSeconds: 0,
    delays: {
      // Scenario 1 (AZ failure): "T+2min: RDS failover completo" — RDS Multi-AZ detects and fails over.
      rdsFailoverDetection: { seconds: 120, source: `${REF}, scenario 1: T+2min RDS failover complete` },
      // Scenario 2 (region failure): "T+5min: Decisión de activar DR".
      drActivationDecision: { seconds: 300, source: `${REF}, scenario 2: T+5min decision to activate DR` },
      // "T+15min: RDS restaurado": 10 minutes after the decision.
      drDatabaseRestore: { seconds: 600, source: `${REF}, scenario 2: T+15min RDS restored (10 min after the decision)` },
      // "T+20min: Aplicación desplegada".
      drAppDeploy: { seconds: 300, source: `${REF}, scenario 2: T+20min application deployed` },
      // "T+25min: DNS propagado": the Route 53 record's TTL and resolver caches.
      dnsPropagation: { seconds: 300, source: `${REF}, scenario 2: T+25min DNS propagated` },
      // Scenario 3 (data corruption): "T+2min: Timestamp identificado".
      corruptionIdentification: { seconds: 120, source: `${REF}, scenario 3: T+2min timestamp identified` },
      // "T+15min: Restauración completa": 13 minutes after the timestamp is known.
      pitrRestoreDuration: { seconds: 780, source: `${REF}, scenario 3: T+15min restore complete` },
      // "T+20min: Validación de datos".
      restoreValidation: { seconds: 300, source: `${REF}, scenario 3: T+20min data validated` },
      // RDS uploads transaction logs every 5 minutes: LatestRestorableTime is "typically within the last
      // five minutes" (RDS user guide, point-in-time recovery). The worst case is what an RPO must cover.
      restorableTimeLag: { seconds: 300, source: 'Amazon RDS user guide: LatestRestorableTime typically within the last 5 minutes' },
    },
  },
  short: {
    name: 'short',
    description: 'the same steps with delays of seconds (demo and tests; not the reference timings)',
    sleepUpToSeconds: 60,
    delays: {
      rdsFailoverDetection: { seconds: 10, source: 'short profile' },
      drActivationDecision: { seconds: 2, source: 'short profile' },
      drDatabaseRestore: { seconds: 0, source: 'short profile' },
      drAppDeploy: { seconds: 0, source: 'short profile' },
      dnsPropagation: { seconds: 1, source: 'short profile' },
      corruptionIdentification: { seconds: 1, source: 'short profile' },
      pitrRestoreDuration: { seconds: 0, source: 'short profile' },
      restoreValidation: { seconds: 0, source: 'short profile' },
      restorableTimeLag: { seconds: 2, source: 'short profile' },
    },
  },
};

export function isProfile(name: string): name is ProfileName {
  return (PROFILES as readonly string[]).includes(name);
}

/** A profile with some delays replaced (e.g. `--failover-delay`), each marked as overridden. */
export function withOverrides(profile: TimingProfile, overrides: Partial<Record<DelayName, number>>): TimingProfile {
  const delays = { ...profile.delays };
  for (const [name, seconds] of Object.entries(overrides) as [DelayName, number | undefined][]) {
    if (seconds !== undefined) delays[name] = { seconds, source: `overridden on the command line (profile ${profile.name}: ${profile.delays[name].seconds}s)` };
  }
  return { ...profile, delays };
}

/** Whether a delay is slept (part of the measured time) or modelled (added to it) under a profile. */
export function isSlept(profile: TimingProfile, name: DelayName): boolean {
  return profile.delays[name].seconds <= profile.sleepUpToSeconds;
}
