import { loadSpecFile } from '../../config/loadSpec.js';
import { parseSpec, planFromSpec } from '../../config/resolve.js';
import { toDot, toMermaid } from '../../machines/graph.js';
import { buildPlan } from '../../strategies/index.js';
import { parseDuration } from '../../util/duration.js';
import type { Flags } from '../toSpec.js';

/** deployctl graph: the rollout machine as a mermaid or dot diagram. */
export async function graphCommand(flags: Flags): Promise<number> {
  const plan = typeof flags.file === 'string' ? planOfFile(flags.file) : buildPlan({ strategy: strategyOf(String(flags.strategy)), steps: String(flags.steps), bakeSeconds: parseDuration(String(flags.bake), '--bake'), stepPercent: 10, intervalSeconds: 60 });
  process.stdout.write(`${flags.format === 'dot' ? toDot(plan) : toMermaid(plan)}\n`);
  return 0;
}

function planOfFile(path: string) {
  const loaded = loadSpecFile(path);
  return planFromSpec(parseSpec(loaded.value, loaded.locate), loaded.locate);
}

function strategyOf(name: string): 'canary' | 'linear' | 'blueGreen' | 'rolling' | 'bigBang' {
  const map = { canary: 'canary', linear: 'linear', 'blue-green': 'blueGreen', rolling: 'rolling', 'big-bang': 'bigBang' } as const;
  return map[name as keyof typeof map] ?? 'canary';
}
