// The local region lab: real PostgreSQL, HAProxy, Prometheus and the inventory service on 127.0.0.1.
export { labUp, type UpOptions, type UpResult } from './up.ts';
export { labDown, teardown, type DownOptions, type DownResult } from './down.ts';
export { labStatus, formatStatus, type LabStatus, type ComponentStatus, type DatabaseStatus, type Health } from './status.ts';
export {
  DEFAULT_LAB_DIR,
  component,
  componentsIn,
  databases,
  labFile,
  readLab,
  resolveLabDir,
  type ComponentKind,
  type ComponentRole,
  type LabComponent,
  type LabDescription,
} from './description.ts';
export {
  databaseRoles,
  killAz,
  pauseAz,
  promoteDatabase,
  replicationLag,
  resumeAz,
  setServerEnabled,
  signalComponent,
  freezeComponent,
  thawComponent,
  killComponentTree,
  type AzFault,
  type ReplicationLag,
} from './faults.ts';
export { archiveCurrentWal, backupNow, currentPrimary, restorePointInTime, type RestoreOptions, type RestoreResult } from './backup.ts';
export { restartComponent } from './components.ts';
export { cutOverService, fenceReadOnly, rejoinAsStandby } from './recovery.ts';
export { isAlive, stopProcessGroup } from './processes.ts';
export { descendantsOf } from './process-tree.ts';
export { regionWalDir } from './plan.ts';
export { isListening } from './ports.ts';
export { withAdmin } from './postgres.ts';
export { componentLog } from './logs.ts';
