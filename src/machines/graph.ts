import { describeStep } from '../strategies/describe.js';
import type { Plan, Step } from '../strategies/types.js';
import { formatDuration } from '../util/duration.js';

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly label?: string;
}

/** The rollout machine of a plan as nodes and edges: the same states createRolloutMachine generates. */
function machineGraph(plan: Plan): { nodes: [string, string][]; edges: Edge[] } {
  const nodes: [string, string][] = [['preflight', 'preflight + capture']];
  const edges: Edge[] = [{ from: 'preflight', to: 'rejected', label: 'problems found' }];
  const final = plan.steps.findLastIndex((s) => s.type === 'setWeight' || s.type === 'deployCapacity');
  plan.steps.forEach((step, i) => {
    const id = `step${i}`;
    nodes.push([id, `${i + 1}. ${describeStep(step)}`]);
    edges.push({ from: i === 0 ? 'preflight' : `step${i - 1}`, to: id, ...(i > 0 ? { label: advanceLabel(plan.steps[i - 1]!) } : {}) });
    if (i < final && (step.type === 'approval' || step.type === 'pause' || step.type === 'bake')) edges.push({ from: id, to: `step${final}`, label: 'PROMOTE --full' });
    edges.push({ from: id, to: 'rollingBack', label: 'ALARM / ABORT / error' });
  });
  const last = plan.steps.length - 1;
  edges.push({ from: last >= 0 ? `step${last}` : 'preflight', to: 'finalCheck', ...(last >= 0 ? { label: advanceLabel(plan.steps[last]!) } : {}) });
  edges.push({ from: 'finalCheck', to: 'succeeded', label: 'traffic as expected' }, { from: 'finalCheck', to: 'rollingBack', label: 'changed by someone else' });
  nodes.push(['finalCheck', 'read every target back'], ['rollingBack', 'rolling back (undo what ran, in reverse)'], ['succeeded', 'succeeded'], ['rolledBack', 'rolled back'], ['rollbackFailed', 'rollback failed'], ['rejected', 'rejected (nothing changed)']);
  edges.push({ from: 'rollingBack', to: 'rolledBack', label: 'restored and verified' }, { from: 'rollingBack', to: 'rollbackFailed', label: 'restore failed' });
  return { nodes, edges };
}

function advanceLabel(step: Step): string {
  switch (step.type) {
    case 'approval':
      return 'PROMOTE';
    case 'pause':
      return `after ${formatDuration(step.seconds)} or PROMOTE, gates fresh`;
    case 'bake':
      return `after ${formatDuration(step.seconds)}, gates fresh`;
    default:
      return 'done, gates fresh';
  }
}

/** Mermaid stateDiagram-v2, with the gate region noted beside the steps. */
export function toMermaid(plan: Plan): string {
  const { nodes, edges } = machineGraph(plan);
  const lines = ['stateDiagram-v2', '  [*] --> preflight'];
  for (const [id, label] of nodes) lines.push(`  ${id}: ${label.replace(/:/g, ' -')}`);
  for (const e of edges) lines.push(`  ${e.from} --> ${e.to}${e.label ? `: ${e.label.replace(/:/g, ' -')}` : ''}`);
  for (const end of ['succeeded', 'rolledBack', 'rollbackFailed', 'rejected']) lines.push(`  ${end} --> [*]`);
  lines.push('  note right of preflight', '    a parallel gate region polls CloudWatch during every step', '  end note');
  return lines.join('\n');
}

/** Graphviz dot. */
export function toDot(plan: Plan): string {
  const { nodes, edges } = machineGraph(plan);
  const quote = (s: string) => `"${s.replace(/"/g, '\\"')}"`;
  const lines = ['digraph rollout {', '  rankdir=TB;', '  node [shape=box, style=rounded];'];
  for (const [id, label] of nodes) lines.push(`  ${id} [label=${quote(label)}${['succeeded', 'rolledBack', 'rollbackFailed', 'rejected'].includes(id) ? ', peripheries=2' : ''}];`);
  for (const e of edges) lines.push(`  ${e.from} -> ${e.to}${e.label ? ` [label=${quote(e.label)}${e.to === 'rollingBack' ? ', style=dashed, color=red' : ''}]` : ''};`);
  lines.push('}');
  return lines.join('\n');
}
