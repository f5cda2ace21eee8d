import type { DeployResult } from '../engine/deployment.js';
import type { DeployEvent } from '../engine/events.js';
import { describeEvent, gateKey } from '../io/describeEvent.js';
import { toMermaid } from '../machines/graph.js';
import type { Plan } from '../strategies/types.js';

/** The job summary: result, the timeline as a table, and the step graph as a mermaid diagram. */
export function jobSummary(result: DeployResult, plan: Plan, events: readonly DeployEvent[]): string {
  const start = events[0]?.at ?? 0;
  const rows: string[] = [];
  let lastGate: string | undefined;
  for (const event of events) {
    const text = describeEvent(event, lastGate);
    lastGate = gateKey(event) ?? lastGate;
    if (text) rows.push(`| +${Math.round((event.at - start) / 1000)}s | ${event.type} | ${text.replace(/\|/g, '\\|').replace(/\n/g, '<br>')} |`);
  }
  const icon = { succeeded: '✅', rolledBack: '↩️', rollbackFailed: '🛑', rejected: '⛔', paused: '⏸️' }[result.outcome];
  return [
    `## ${icon} deployctl ${result.id}: ${result.outcome}`,
    '',
    `**Final weight on the new version:** ${result.finalWeight}%${result.failure ? `  \n**Why:** ${result.failure.message}` : ''}`,
    ...(result.rollbackCommands.length > 0 ? ['', '**Restore by hand:**', '```sh', ...result.rollbackCommands, '```'] : []),
    '',
    '### Timeline',
    '',
    '| time | event | detail |',
    '| ---: | --- | --- |',
    ...rows,
    '',
    '### Step graph',
    '',
    '```mermaid',
    toMermaid(plan),
    '```',
    '',
  ].join('\n');
}
