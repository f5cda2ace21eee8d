import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpecFile } from '../../src/config/loadSpec.js';
import { parseSpec, planFromSpec } from '../../src/config/resolve.js';
import { InputError, InputErrors } from '../../src/errors.js';

function write(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'spec-')), 'deploy.yaml');
  writeFileSync(path, text);
  return path;
}

function errorOf(path: string): string {
  try {
    const loaded = loadSpecFile(path);
    planFromSpec(parseSpec(loaded.value, loaded.locate), loaded.locate);
  } catch (error) {
    if (error instanceof InputErrors) return error.problems.map((p) => p.message).join(' | ');
    if (error instanceof InputError) return error.message;
    throw error;
  }
  return 'accepted';
}

describe('spec files: errors name file:line:column, the value and what is allowed', () => {
  it('accepts Argo-style steps', () => {
    const path = write(`strategy: canary
targets:
  - type: lambda
    functionName: checkout
    alias: live
    toVersion: 2
steps:
  - setWeight: 10
  - pause: { duration: 5m }
  - setWeight: 50
  - pause: {}
  - analysis: latency
analyses:
  latency:
    canary: { namespace: AWS/Lambda, metricName: Duration }
    baseline: { namespace: AWS/Lambda, metricName: Duration }
`);
    const loaded = loadSpecFile(path);
    const plan = planFromSpec(parseSpec(loaded.value, loaded.locate), loaded.locate);
    expect(plan.steps).toEqual([
      { type: 'setWeight', weight: 10 },
      { type: 'pause', seconds: 300 },
      { type: 'setWeight', weight: 50 },
      { type: 'approval' },
      { type: 'analysis', name: 'latency' },
      { type: 'setWeight', weight: 100 },
    ]);
  });

  it('refuses capacity steps when no target has capacity (a rolling Lambda would "succeed" at 0%)', () => {
    const lambda = `targets:
  - type: lambda
    functionName: checkout
    alias: live
    toVersion: 2
`;
    const rolling = write(`strategy: rolling\nbatch: 25%\n${lambda}`);
    expect(errorOf(rolling)).toMatch(new RegExp(`^${rolling}:1:11 \\(strategy\\): "rolling" is not valid; deployCapacity steps \\(rolling\\) bring up capacity of an ECS service or Auto Scaling group`));
    const steps = write(`strategy: canary\n${lambda}steps:\n  - setWeight: 10\n  - deployCapacity: 50\n`);
    expect(errorOf(steps)).toMatch(/\(steps\).*deployCapacity steps/);
  });

  it('points at the offending value', () => {
    const path = write(`strategy: canary
targets:
  - type: lambda
    functionName: checkout
    alias: live
    toVersion: $LATEST
steps: "1,5"
`);
    expect(errorOf(path)).toBe(`${path}:6:16 (targets.0.toVersion): "$LATEST" is not valid; a published version number ($LATEST cannot take weighted traffic)`);
  });

  it('points at a non-increasing step list entry', () => {
    const path = write(`strategy: canary
targets: [{ type: lambda, functionName: f, alias: live, toVersion: 2 }]
steps:
  - setWeight: 50
  - setWeight: 20
`);
    expect(errorOf(path)).toMatch(new RegExp(`^${path}:4:3 \\(steps\\): "50,20" is not valid; weights must be strictly increasing, but 20 follows 50`));
  });

  it('reports broken YAML with its line', () => {
    const path = write('strategy: canary\ntargets: [\n  - type: lambda\n');
    expect(errorOf(path)).toMatch(new RegExp(`^${path}:\\d+:\\d+: .* is not valid; the file is not valid YAML`));
  });

  it('rejects unknown fields', () => {
    const path = write('strategy: canary\nsteps: "5"\ntargets: [{ type: lambda, functionName: f, alias: live, toVersion: 2 }]\nbakee: 5m\n');
    expect(errorOf(path)).toMatch(/unknown field bakee/);
  });
});
