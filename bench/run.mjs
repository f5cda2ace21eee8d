// deployctl benchmarks: `npm run bench` (installs dependencies, builds dist/, then runs this).
//   node bench/run.mjs                      all six benchmarks; prints a table and writes bench/RESULTS.md
//   node bench/run.mjs --only reaction,startup [--runs 5]   some of them (prints only; RESULTS.md needs all six)
//   node bench/run.mjs --render              rewrite bench/RESULTS.md from bench/out/results.json (no measuring)
// The benchmarks' TypeScript (bench/lib/*.ts) and the src/ it drives run through vite's module runner in this
// process; the start-up benchmark and `deployctl rehearse` spawn the built CLI; each fleet size runs in its own
// process (bench/fleet.mjs) so that its peak RSS is its own. Raw results go to bench/out/results.json.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { openTsRunner, ROOT } from './lib/tsRunner.mjs';
import { renderResults } from './lib/report.mjs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const ALL = ['reaction', 'overhead', 'economy', 'fleet', 'startup', 'rehearsal'];
const argv = process.argv.slice(2);
if (argv.includes('--render')) {
  const saved = JSON.parse(readFileSync(join(ROOT, 'bench/out/results.json'), 'utf8'));
  const { markdown } = renderResults(saved.meta, saved.results, saved.failures);
  writeFileSync(join(ROOT, 'bench/RESULTS.md'), markdown);
  console.log('wrote bench/RESULTS.md from bench/out/results.json');
  process.exit(0);
}
const flag = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const only = flag('--only')?.split(',') ?? ALL;
const unknown = only.filter((n) => !ALL.includes(n));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; choose from ${ALL.join(', ')}`);
  process.exit(2);
}
const runsOverride = flag('--runs') === undefined ? undefined : Number(flag('--runs'));
const BIN = join(ROOT, 'dist/deployctl.js');
const log = (line) => process.stderr.write(`  ${line}\n`);

const meta = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  memoryGb: Math.round(totalmem() / 2 ** 30),
  loadBefore: loadavg().map((l) => Math.round(l * 100) / 100),
};
const results = {};
const failures = [];

const runner = await openTsRunner();
try {
  if (only.includes('reaction')) {
    console.error('1/6 rollback reaction (real time)');
    const { rollbackReaction, REACTION_SETTINGS } = await runner.import('bench/lib/reaction.ts');
    results.reaction = { settings: REACTION_SETTINGS, rows: await rollbackReaction(runsOverride ?? 20, log) };
  }
  if (only.includes('overhead')) {
    console.error('2/6 orchestration overhead (real time)');
    const { orchestrationOverhead, OVERHEAD_SETTINGS } = await runner.import('bench/lib/overhead.ts');
    await warmUp(runner);
    results.overhead = { settings: OVERHEAD_SETTINGS, rows: await orchestrationOverhead(runsOverride ?? 5, log) };
  }
  if (only.includes('economy')) {
    console.error('3/6 API economy (simulated time)');
    const { apiEconomy, ECONOMY_SEEDS } = await runner.import('bench/lib/economy.ts');
    const rows = await apiEconomy(log);
    results.economy = { seeds: ECONOMY_SEEDS, rows };
    for (const row of rows) {
      const differing = row.throttled.filter((t) => !t.sameEndState);
      if (differing.length === 0) continue;
      const how = differing.map((t) => `seed ${t.seed} ${t.outcome}`).join(', ');
      failures.push(`API economy, ${row.kind} ${row.strategy}: under 50% throttling the end state equals the run without faults in ${row.sameEndStates} of ${row.throttled.length} seeds (${how})`);
    }
  }
  if (only.includes('rehearsal')) {
    console.error('6/6 rehearsal (simulated time; in process, then the CLI)');
    const { rehearsal, REHEARSAL_PLAN } = await runner.import('bench/lib/rehearsal.ts');
    const inProcess = await rehearsal(runsOverride ?? 5);
    const { LAMBDA } = await runner.import('test/reliability/targets.ts');
    results.rehearsal = { plan: REHEARSAL_PLAN, inProcess, cli: rehearseCli(LAMBDA.seed(), REHEARSAL_PLAN, runsOverride ?? 5) };
    if (inProcess.outcome !== 'succeeded') failures.push(`rehearsal ended ${inProcess.outcome}`);
  }
} finally {
  await runner.close();
}

if (only.includes('fleet')) {
  console.error('4/6 fleet scale (simulated time, one process per size)');
  results.fleet = [];
  for (const size of [10, 100, 1000]) {
    const result = await fleetSize(size);
    results.fleet.push(result);
    log(`fleet ${size}: ${Math.round(result.simulatedMs / 1000)} s simulated, ${Math.round(result.wallMs / 1000)} s wall, peak RSS ${Math.round(result.peakRssMb)} MB, world throttled ${result.worldThrottled}`);
    if (result.worldThrottled > 0) failures.push(`fleet ${size}: the world throttled ${result.worldThrottled} calls (above AWS's limits)`);
    if ((result.outcomes.succeeded ?? 0) !== size) failures.push(`fleet ${size}: outcomes ${JSON.stringify(result.outcomes)}`);
  }
}
if (only.includes('startup')) {
  console.error('5/6 start-up (spawned CLI)');
  results.startup = startup(runsOverride ?? 20);
}
meta.loadAfter = loadavg().map((l) => Math.round(l * 100) / 100);

mkdirSync(join(ROOT, 'bench/out'), { recursive: true });
writeFileSync(join(ROOT, 'bench/out/results.json'), `${JSON.stringify({ meta, results, failures }, null, 2)}\n`);
const { table, markdown } = renderResults(meta, results, failures);
console.log(table);
if (only.length === ALL.length) {
  writeFileSync(join(ROOT, 'bench/RESULTS.md'), markdown);
  console.log('wrote bench/RESULTS.md');
} else {
  console.log('(only some benchmarks ran: bench/RESULTS.md not written)');
}
if (failures.length > 0) {
  console.log(`\n${failures.length} benchmark assertion(s) failed:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
  process.exitCode = 1;
}

/** One untimed deployment per traffic provider: SDK modules load on first use; that is start-up, not overhead. */
async function warmUp(tsRunner) {
  const sim = await tsRunner.import('bench/lib/sim.ts');
  const { RealClock } = await tsRunner.import('src/time/clock.ts');
  for (const kind of sim.TRAFFIC_KINDS) {
    const target = sim.TARGETS[kind];
    await sim.deploy(sim.simEnv(sim.seedOf(target, { propagationSeconds: 1 }), new RealClock()), { strategy: 'bigBang', gates: { alarms: ['errors'], poll: '1s' } }, target);
  }
}

function fleetSize(size) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--max-old-space-size=4096', join(ROOT, 'bench/fleet.mjs'), String(size)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').at(-1);
      if (code !== 0 || !line) return reject(new Error(`bench/fleet.mjs ${size} exited ${code}`));
      resolve(JSON.parse(line));
    });
  });
}

/** `deployctl --version`, `deployctl plan canary ...` and `node -e 0`, interleaved, each timed around the spawn. */
function startup(rounds) {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build`);
  const commands = {
    'node -e 0': ['-e', '0'],
    'deployctl --version': [BIN, '--version'],
    'deployctl plan canary --steps 1,5,25,100 --bake 5m': [BIN, 'plan', 'canary', '--steps', '1,5,25,100', '--bake', '5m'],
  };
  const times = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let round = -1; round < rounds; round++) {
    for (const [name, args] of Object.entries(commands)) {
      const started = performance.now();
      const run = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: tmpdir() });
      const ms = performance.now() - started;
      if (run.status !== 0) throw new Error(`${name} exited ${run.status}: ${run.stderr}`);
      if (round >= 0) times[name].push(ms);
    }
  }
  return { rounds, times };
}

/** `deployctl rehearse` of the same two-hour canary, spawned, on a world file holding the Lambda world. */
function rehearseCli(seed, plan, rounds) {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build`);
  const dir = mkdtempSync(join(tmpdir(), 'deployctl-bench-rehearse-'));
  const world = join(dir, 'lambda.yaml');
  writeFileSync(world, JSON.stringify(seed));
  const args = [BIN, 'rehearse', 'canary', '--sim', world, '--steps', plan.steps, '--bake', plan.bake, '--function', 'checkout', '--alias', 'live', '--to-version', '2', '--alarm', 'errors'];
  const times = [];
  for (let round = -1; round < rounds; round++) {
    const started = performance.now();
    const run = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: dir });
    const ms = performance.now() - started;
    if (run.status !== 0) throw new Error(`deployctl rehearse exited ${run.status}: ${run.stdout}\n${run.stderr}`);
    if (round >= 0) times.push(ms);
  }
  return { rounds, times, command: `deployctl ${args.slice(1).join(' ').replace(world, 'lambda.yaml')}` };
}
