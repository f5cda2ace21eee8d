// Renders the benchmark results: the tables printed by run.mjs, and bench/RESULTS.md (tables with their methods).

const s = (ms, digits = 2) => `${(ms / 1000).toFixed(digits)} s`;
const ms = (value) => `${Math.round(value)} ms`;
const x = (value) => `${value.toFixed(2)}×`;

function median(values) {
  return quantile(values, 0.5);
}

function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const NAMES = { alb: 'ALB', lambda: 'Lambda', route53: 'Route 53', ecs: 'ECS', asg: 'Auto Scaling' };

function reactionSection(r) {
  if (!r) return undefined;
  const rows = r.rows.map((row) => [
    NAMES[row.kind],
    `${row.runs.length}`,
    `${ms(row.medianDetectMs)} / ${ms(row.worstDetectMs)}`,
    `${ms(row.medianWriteMs)} / ${ms(row.worstWriteMs)}`,
    `${ms(row.medianRestoredMs)} / ${ms(row.worstRestoredMs)}`,
    `**${x(row.medianRestoredMs / row.pollMs)} / ${x(row.worstRestoredMs / row.pollMs)}**`,
  ]);
  return {
    title: '1. Rollback reaction',
    table: table(['provider', 'runs', 'alarm → rollback starts (median / worst)', 'alarm → restoring write lands', 'alarm → traffic fully restored', 'restored, in poll intervals (median / worst)'], rows),
    method: [
      `Real time on the simulated world. A canary shifts 5% to the new version, then bakes 1 minute with the CloudWatch alarm gate polling every ${r.settings.pollSeconds} s. The fault \`alarm:errors@<t>=ALARM/10m\` forces the alarm into ALARM at a known instant <t>, during the bake (${r.settings.firstFlipMs.alb / 1000} s after the world was created for ALB and Lambda, ${r.settings.firstFlipMs.route53 / 1000} s for Route 53, whose shift waits for INSYNC first), moved by a twentieth of the poll interval from one run to the next so that every phase of the poll is sampled.`,
      'Measured from that instant to: the rollback starting (the gate saw ALARM), the restoring write landing in the world (its call log), and the target reported restored (`target.restored`: written and read back field by field; for Route 53 also INSYNC). The last is "traffic fully restored", given as a ratio of the poll interval.',
      `Route 53 includes INSYNC waiting: the world's \`propagationSeconds\` is set to ${r.settings.propagationSeconds} s (the real service takes up to 60 s), and a restore polls GetChange 1 s after its write, then at 2 s, 4 s and every 5 s after (forward shifts poll every 5 s), so a Route 53 restore is reported about one second later than the others. Resolvers also keep cached answers for the record's TTL after INSYNC; that is not counted.`,
      'The runs above flip the alarm during the bake, as the issue asks. When the alarm fires while a Route 53 shift is still waiting for INSYNC, the shift stops waiting (its write was acknowledged) and the rollback begins at once; the shift is not reported as set.',
    ],
  };
}

function overheadSection(o) {
  if (!o) return undefined;
  const rows = o.rows.map((row) => {
    const m = row.median;
    return [NAMES[row.kind], `${row.runs.length}`, s(m.wallMs), s(m.bakesMs), s(m.gateWaitsMs), s(m.insyncMs), `**${ms(m.overheadMs)}**`, ms(m.overheadMs / 4)];
  });
  return {
    title: '2. Orchestration overhead',
    table: table(['provider', 'runs', 'wall time (median)', 'bakes', 'waiting for a fresh gate check', 'waiting for INSYNC', 'overhead (the rest)', 'overhead per step'], rows),
    method: [
      `A 4-step canary (${o.settings.steps}) with ${o.settings.bakeSeconds}-second bakes and the alarm gate polling every ${o.settings.pollSeconds} s, in real time on the simulated world, through the engine with the file state store (every transition written to disk, as the CLI does). One untimed run per provider first loads the SDK modules.`,
      'The wall time (from the call to the result) is split by the deployment\'s own events and the world\'s call log into: the bakes the plan asks for; the time between a step settling and the next one starting (traffic moves up only after a gate check taken after the step settled); Route 53\'s wait for each change to go INSYNC (from ChangeResourceRecordSets to the GetChange that saw INSYNC: 5 s per shift, the GetChange interval of forward shifts, although the world propagates in 1 s); and the rest — the orchestration overhead: engine and SDK clients, locks and state writes, preflight and capture, every shift\'s AWS calls and read-back through the real SDK and the simulated wire protocol.',
    ],
  };
}

/**
 * The calls a provider cannot do without. Reading back after every write is required (the provider must verify),
 * so it counts. Lambda 3 + 2 per weight step: GetAlias (capture version, routing, RevisionId), GetFunctionConfiguration
 * of both versions (published, same execution role: Lambda refuses routing between different roles), then UpdateAlias
 * and a GetAlias read-back per step. ALB 2 + 2 per step: DescribeListeners (capture the action list and its
 * stickiness), DescribeTargetHealth of the canary group, then ModifyListener and a DescribeListeners read-back. Route 53
 * 1 + 3 per step: ListResourceRecordSets (capture both sets), then ChangeResourceRecordSets, at least one GetChange
 * (INSYNC) and a ListResourceRecordSets read-back. ECS and Auto Scaling: one read to capture and one write for the
 * rollout (UpdateService; StartInstanceRefresh), plus status polls.
 */
export function minimumCalls(kind, steps) {
  if (kind === 'lambda') return 3 + 2 * steps;
  if (kind === 'alb') return 2 + 2 * steps;
  if (kind === 'route53') return 1 + 3 * steps;
  return 2;
}

function economySection(e) {
  if (!e) return undefined;
  const ops = (byOp) => Object.entries(byOp).map(([op, n]) => `${op} ${n}`).join(', ');
  const rows = e.rows.map((row) => [
    NAMES[row.kind],
    row.strategy,
    `${row.steps}`,
    `**${row.providerCalls}** (${ops(row.providerByOperation)})`,
    row.kind === 'ecs' || row.kind === 'asg' ? `${minimumCalls(row.kind, row.steps)} + status polls` : `${minimumCalls(row.kind, row.steps)}`,
    row.kind === 'ecs' || row.kind === 'asg' ? '—' : x(row.providerCalls / minimumCalls(row.kind, row.steps)),
    `${row.gateCalls} / ${row.gateMinimum}`,
    `${row.sameEndStates}/${row.throttled.length}`,
    row.throttled.map((t) => `${t.outcome} (${t.calls})`).join(', '),
    row.throttledExtraMedian === undefined ? '—' : `+${row.throttledExtraMedian}`,
  ]);
  return {
    title: '3. API economy',
    table: table(['provider', 'strategy', 'weight steps', 'provider calls (every attempt)', 'minimum', 'ratio', 'DescribeAlarms / minimum', '50% throttled: same end state', 'throttled runs: outcome (calls)', 'extra calls when it completes (median)'], rows),
    method: [
      'Each provider × strategy runs once in simulated time on its world (the reliability suite\'s worlds; the alarm gate on `errors`, polling every 10 s), and the world\'s call log counts every attempt the provider made on its service, and the gate\'s DescribeAlarms calls. Strategies: canary 1,5,25,100 with 2-minute bakes; linear 25% every minute; blue-green and big-bang with a 5-minute bake; ECS and Auto Scaling rolling in 25% batches.',
      'The minimum each needs (reading back after every write is required — the provider must verify — so it counts): Lambda 3 + 2 per weight step (GetAlias to capture version, routing and RevisionId; GetFunctionConfiguration of both versions: published, and the same execution role, which Lambda requires for weighted routing; then UpdateAlias and a GetAlias read-back per step). ALB 2 + 2 per step (DescribeListeners to capture the action list with its stickiness, DescribeTargetHealth of the canary group; ModifyListener and DescribeListeners per step). Route 53 1 + 3 per step (ListResourceRecordSets to capture both sets; ChangeResourceRecordSets, at least one GetChange until INSYNC, and a ListResourceRecordSets read-back per step). ECS and Auto Scaling: one read to capture and one write (UpdateService; StartInstanceRefresh) for the whole rollout, plus status polls whose number depends on how long capacity takes. Gates: one DescribeAlarms at preflight plus one per 10-second poll of the rollout.',
      'Where the rest goes: each provider reads the target again right before every write (one call per step: a foreign change is found before it is overwritten — ALB has no ETag; for Lambda the read also supplies the RevisionId that guards the write), and preflight and capture read the same resource twice (one call); the ALB provider also checks the stable group\'s health and resolves the groups (DescribeTargetGroups); the Route 53 provider reads the zone (GetHostedZone) and needs two GetChange per shift here (the world propagates in 10 s, the provider polls every 5 s). After the last bake the final check reads every target once more (one call), so drift during the final bake is caught. ECS and Auto Scaling spend nearly everything on status polls while capacity comes up, and ECS writes twice (the new task definition, then the captured deployment configuration back).',
      `Then the same rollout with half of the provider's calls throttled (\`throttle:<service>=0.5\`; the world's and the SDK's randomness seeded ${e.seeds} ways), its end state compared field by field with the run without faults (the benchmark asserts it and reports each seed that differs), and the extra calls of the throttled runs that complete.`,
    ],
  };
}

function fleetSection(f) {
  if (!f) return undefined;
  const rows = f.map((r) => [
    `${r.deployments}`,
    Object.entries(r.outcomes).map(([k, v]) => `${k} ${v}`).join(', '),
    `${(r.simulatedMs / 60000).toFixed(1)} min (plan: ${(r.planMinimumMs / 60000).toFixed(0)} min of bakes)`,
    s(r.wallMs, 1),
    `${Math.round(r.peakRssMb)} MB`,
    `${Math.round(r.baselineRssMb)} MB`,
    `${Math.round(r.rssPerDeploymentKb)} KB`,
    r.peaks.map((p) => `${p.key} ${p.peak} (AWS ${p.limit}/s, bucket ${p.burst}; ours ${p.client}/s)`).join('; '),
    `${r.worldThrottled}`,
    `${r.calls}`,
  ]);
  return {
    title: '4. Fleet scale',
    table: table(['concurrent canaries', 'outcomes', 'completion (simulated)', 'wall time', 'peak RSS', 'RSS before the fleet', 'RSS per deployment', 'busiest second per API budget (calls)', 'calls the world throttled', 'AWS calls'], rows),
    method: [
      'N canaries (1, 5, 25, 100 with 5-minute bakes, each gated on its own alarm, polling every 10 s) start at once in one process, one per Lambda function of one world that holds N functions with their aliases, traffic and alarms. All share one set of AWS clients, so one client-side rate limiter (src/aws/rateLimit.ts: Lambda control plane 12/s, DescribeAlarms 7/s), against a world that enforces AWS\'s published account limits as token buckets and throttles above them (src/sim/apiLimits.ts: Lambda 15/s, DescribeAlarms 9/s). Simulated time; each size runs in its own process (bench/fleet.mjs) so its peak RSS is its own.',
      '"Peak RSS" is the process\'s maximum resident set (it includes the vite module runner and the loaded SDK, about the "RSS before the fleet"); "RSS per deployment" is (peak − before) / N — at 10 deployments mostly garbage-collector slack, at 1000 a fair figure. "Busiest second" counts calls in the busiest whole second of the world\'s clock per budget; a token bucket admits up to rate + bucket calls in one second after a quiet spell, so the limit is "never throttled by the world", and the world throttled none of them. The gates of all deployments share DescribeAlarms calls (every check waiting while a call is queued or in flight rides on the next one, up to 100 alarms a call; src/gates/describeAlarms.ts), so alarm polling is not what limits the fleet. At 1000 the Lambda control-plane budget is: each canary needs about 17 Lambda calls (reads before and after every write), and the fleet shares 12 calls a second.',
    ],
  };
}

function startupSection(st) {
  if (!st) return undefined;
  const base = median(st.times['node -e 0']);
  const rows = Object.entries(st.times).map(([name, times]) => [`\`${name}\``, `${times.length}`, ms(median(times)), ms(quantile(times, 0.9)), x(median(times) / base)]);
  return {
    title: '5. Start-up',
    table: table(['command', 'runs', 'median', 'p90', 'median vs `node -e 0`'], rows),
    method: [
      `Each command spawned ${st.rounds} times (after one untimed round), interleaved so that load changes hit all three alike, timed around the spawn (hyperfine is not installed): \`node dist/deployctl.js --version\`, \`node dist/deployctl.js plan canary --steps 1,5,25,100 --bake 5m\` (the plan only: no target, no AWS call), and \`node -e 0\` for the cost of starting Node itself.`,
    ],
  };
}

function rehearsalSection(r) {
  if (!r) return undefined;
  const rows = [
    ['in process (engine, real SDK clients, simulated world)', `${r.inProcess.runs.length}`, ms(r.inProcess.medianWallMs), `${(r.inProcess.simulatedMs / 3600000).toFixed(2)} h`, `${r.inProcess.calls}`, r.inProcess.outcome],
    [`\`deployctl rehearse\` (spawned CLI, world file)`, `${r.cli.times.length}`, ms(median(r.cli.times)), '', '', 'succeeded'],
  ];
  return {
    title: '6. Rehearsal',
    table: table(['how', 'runs', 'wall time (median)', 'simulated', 'AWS calls', 'outcome'], rows),
    method: [
      `A 12-step canary (${r.plan.steps}) with ${r.plan.bake} bakes — 11 bakes, two hours — on the Lambda world with the alarm gate polling every 10 s, in simulated time: in process through the engine (after one untimed run), and as a user runs it: \`${r.cli.command}\`.`,
    ],
  };
}

/** What the numbers say, computed from them. */
function findings(results) {
  const out = [];
  const r = results.reaction?.rows;
  if (r) {
    const fast = r.filter((row) => row.kind !== 'route53');
    const r53 = r.find((row) => row.kind === 'route53');
    out.push(`ALB and Lambda are restored within ${x(Math.max(...fast.map((row) => row.worstRestoredMs / row.pollMs)))} the poll interval at worst (median ${fast.map((row) => x(row.medianRestoredMs / row.pollMs)).join(' and ')}): detection is the poll, the restore itself takes milliseconds.` + (r53 ? ` Route 53 detects as fast (${ms(r53.medianDetectMs)} median) but is fully restored only at ${x(r53.medianRestoredMs / r53.pollMs)} the poll interval (median): its restore waits for INSYNC (GetChange 1 s after the restoring write, then backing off to every 5 s).` : ''));
  }
  const e = results.economy?.rows;
  if (e) {
    const total = e.reduce((n, row) => n + row.throttled.length, 0);
    const same = e.reduce((n, row) => n + row.sameEndStates, 0);
    const outcomes = {};
    for (const row of e) for (const t of row.throttled) outcomes[t.outcome] = (outcomes[t.outcome] ?? 0) + 1;
    const failed = e.flatMap((row) => row.throttled.filter((t) => !t.sameEndState).map((t) => `${NAMES[row.kind]} ${row.strategy} seed ${t.seed} ${t.outcome}`));
    out.push(`Under 50% throttling of the provider's service, ${same} of ${total} throttled rollouts reached the end state of the run without faults (outcomes: ${Object.entries(outcomes).map(([k, v]) => `${k} ${v}`).join(', ')}). A forward call gets 8 attempts (src/aws/retry.ts: at 50% throttling 1 call in 256 still fails), and a shift whose write or read-back the SDK gave up on is tried again in the next of up to 4 rounds (AWS refused the throttled call, so nothing changed).` + (failed.length > 0 ? ` The others failed safe — rejected before any write or rolled back to the captured configuration: ${failed.join('; ')}.` : ''));
  }
  const f = results.fleet;
  if (f) {
    const big = f.at(-1);
    out.push(`${big.deployments} concurrent canaries finish in ${(big.simulatedMs / 60000).toFixed(1)} simulated minutes against a 15-minute plan, with no call throttled by the world: the client-side limiter holds the fleet under AWS's budgets, the gates share DescribeAlarms calls (up to 100 alarms a call), and what stretches the rollouts is the Lambda control-plane budget (12 calls a second for the whole fleet, about 17 per canary). Memory: about ${Math.round(big.rssPerDeploymentKb)} KB of RSS per deployment at ${big.deployments}.`);
  }
  const st = results.startup;
  if (st) {
    const base = median(st.times['node -e 0']);
    out.push(`\`deployctl --version\` costs ${ms(median(st.times['deployctl --version']) - base)} over starting Node itself.`);
  }
  const reh = results.rehearsal;
  if (reh) out.push(`A two-hour, 12-step canary rehearses in ${s(reh.inProcess.medianWallMs, 1)} in process and ${s(median(reh.cli.times), 1)} through \`deployctl rehearse\` (process start, SDK load, the world file and the printed timeline).`);
  return out;
}

export function renderResults(meta, results, failures) {
  const sections = [
    reactionSection(results.reaction),
    overheadSection(results.overhead),
    economySection(results.economy),
    fleetSection(results.fleet),
    startupSection(results.startup),
    rehearsalSection(results.rehearsal),
  ].filter(Boolean);
  const printed = sections.map((sec) => `\n${sec.title}\n${sec.table}`).join('\n');
  const machine = `${meta.cpus} cores (${meta.cpuModel}), ${meta.memoryGb} GB, Node ${meta.node}`;
  const markdown = [
    '# deployctl benchmarks',
    '',
    `Measured by \`npm run bench\` on ${meta.date.slice(0, 10)} (${meta.date}) on this machine: **${machine}**. Load average before / after: ${meta.loadBefore.join(', ')} / ${(meta.loadAfter ?? []).join(', ')} — other processes shared the machine, so figures in real time carry that noise; simulated-time figures do not depend on it except for their wall times.`,
    '',
    'Reproduce with `npm run bench` (about ten minutes). Raw numbers of the last run: `bench/out/results.json` (not committed).',
    '',
    '## What the numbers say',
    '',
    ...findings(results).map((line) => `- ${line}`),
    '',
    ...sections.flatMap((sec) => [`## ${sec.title}`, '', sec.table, '', ...sec.method.flatMap((p) => [p, ''])]),
    '## Assertions',
    '',
    failures.length === 0 ? 'Every assertion held: the throttled end states equal the unthrottled ones, every fleet deployment succeeded without a call throttled by the world, every rollback reaction run rolled back.' : `${failures.length} assertion(s) failed (\`npm run bench\` exits 1):\n\n${failures.map((f) => `- ${f}`).join('\n')}`,
    '',
  ].join('\n');
  return { table: `deployctl benchmarks — ${machine}, ${meta.date}${printed}`, markdown };
}
