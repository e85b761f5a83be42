// The README and docs a user reads in node_modules/solida: every relative link must name a file the tarball
// holds (docs/ was once left out, so "see docs/gameday.md" led nowhere). The file list is npm's own
// (`npm pack --dry-run`), without building: only the shipped Markdown and what it links to matter here.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
let shipped = new Set<string>();
let size = 0;

beforeAll(async () => {
  const { stdout } = await exec('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20 });
  const info = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{ size: number; files: Array<{ path: string }> }>;
  shipped = new Set(info[0].files.map((f) => f.path));
  size = info[0].size;
}, 120_000);

/** Relative link targets of a Markdown file, as paths from the package root (images apart: see below). */
function relativeLinks(file: string): Array<{ target: string; image: boolean }> {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/(!?)\[[^\]]*\]\(([^)\s]+)\)/g)]
    .filter(([, , href]) => !/^([a-z]+:|#)/i.test(href))
    .map(([, bang, href]) => ({ target: normalize(join(dirname(file), href.replace(/#.*$/, ''))), image: bang === '!' }));
}

describe('the packed tarball’s Markdown', () => {
  it('ships the docs the README links to, and every relative link in them resolves inside the package', () => {
    const docs = [...shipped].filter((p) => p.startsWith('docs/') && p.endsWith('.md'));
    expect(docs).toContain('docs/gameday.md');
    for (const file of ['README.md', ...docs]) {
      for (const { target, image } of relativeLinks(file)) {
        // Screenshots stay out (they would double the tarball); a viewer shows their alt text instead.
        if (image) continue;
        expect(shipped.has(target) || [...shipped].some((p) => p.startsWith(`${target}/`)), `${file} links to ${target}`).toBe(true);
      }
    }
  });

  it('stays small: the screenshots are not in it', () => {
    expect([...shipped].filter((p) => p.endsWith('.png'))).toEqual([]);
    expect(size).toBeLessThan(1 << 20);
  });
});
