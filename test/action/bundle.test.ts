import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './runAction.js';

/**
 * action.yml runs the committed dist/action.js, and the CLI's bin is dist/deployctl.js: what is committed must be
 * what the source builds. scripts/build.mjs is deterministic (same source, same bytes, whatever the output
 * directory), so the source is built into a temporary directory (about 5 s) and compared byte for byte.
 */

const FIX = 'run `npm run build` and commit dist/';
const BUNDLES = ['action.js', 'deployctl.js', 'index.js'];

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('the committed bundles', () => {
  it(`are what scripts/build.mjs builds from the source now (if not: ${FIX})`, () => {
    const out = mkdtempSync(join(tmpdir(), 'deployctl-build-'));
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), `--outdir=${out}`, '--check'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    for (const bundle of BUNDLES) {
      const committed = join(ROOT, 'dist', bundle);
      expect(existsSync(committed), `dist/${bundle} is missing: ${FIX}`).toBe(true);
      // Hashes keep a mismatch message short (the bundles are megabytes); equal hashes mean equal bytes.
      expect(sha256(committed), `dist/${bundle} does not match the source: ${FIX}`).toBe(sha256(join(out, bundle)));
    }
  });

  it('action.yml runs dist/action.js on a current Node runtime of GitHub runners', () => {
    const action = readFileSync(join(ROOT, 'action.yml'), 'utf8');
    expect(action).toMatch(/\nruns:\n {2}using: node(20|24)\n {2}main: dist\/action\.js\n/);
  });
});
