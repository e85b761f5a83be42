// `lab logs COMPONENT`: the component's log file (stdout and stderr of its process).
import { existsSync, readFileSync } from 'node:fs';
import { SolidaError } from '../util/errors.ts';
import { component, readLab } from './description.ts';

/** The last `lines` lines of a component's log (all when lines is undefined). */
export function componentLog(dir: string | undefined, name: string, lines?: number): string {
  const c = component(readLab(dir), name);
  if (!existsSync(c.logFile)) throw new SolidaError(`${name} has no log yet`, 1, [{ file: c.logFile, message: 'file not found' }]);
  const text = readFileSync(c.logFile, 'utf8');
  // An empty log must not read as a broken command.
  if (text === '') return `(${name} has written nothing to ${c.logFile} yet)\n`;
  if (lines === undefined) return text;
  const all = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  return `${all.slice(-lines).join('\n')}\n`;
}
