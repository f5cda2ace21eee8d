#!/usr/bin/env node
import { Command, Option } from 'commander';
import { awsFlags, runFlags, STRATEGY_FLAGS, targetFlags } from './options.js';
import { runCommand } from './run.js';

/**
 * The deployctl CLI. Only commander loads at start-up; each command's code (and the AWS SDK) loads when that
 * command runs, so `deployctl --help` and `--version` start fast.
 */
export const VERSION = '0.1.0';

// The bundled SDK versions are pinned and supported on Node 20; their notice about future SDK releases
// needing Node 22 is noise in a CLI's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const program = new Command('deployctl')
  .description('Progressive delivery for AWS: canary, linear, blue-green, rolling and big-bang rollouts with CloudWatch gates and automatic rollback.')
  .version(VERSION)
  .addOption(new Option('--output <format>', 'text (live view on a terminal, plain lines otherwise) or json (one event per line)').choices(['text', 'json']).default('text'))
  .showHelpAfterError('(run deployctl --help for usage)')
  .configureOutput({ outputError: (text, write) => write(text) })
  .exitOverride((error) => {
    // commander's own errors (unknown flag, missing argument) are bad input: exit 2, like ours.
    process.exit(error.exitCode === 0 ? 0 : 2);
  })
  .addHelpText(
    'after',
    `
Exit codes: 0 succeeded · 1 internal error · 2 bad input (nothing changed) · 3 failed and rolled back
            4 rollback failed (restore commands printed) · 5 target locked by another deployment · 6 paused, waiting for promote

Examples:
  deployctl demo
  deployctl canary --steps 1,5,25,100 --bake 5m --function checkout --alias live --to-version 42 --alarm checkout-errors
  deployctl plan canary --steps 1,5,25,100 --bake 5m
  deployctl deploy -f deploy.yaml --no-wait && deployctl promote <id>`,
  );

for (const [name, addFlags] of Object.entries(STRATEGY_FLAGS)) {
  const command = program.command(name).description(`roll out with the ${name} strategy`);
  addFlags(runFlags(targetFlags(awsFlags(command)))).action((flags, cmd: Command) =>
    runCommand(() => import('./commands/rollout.js').then((m) => m.rolloutCommand(name, cmd.optsWithGlobals()))),
  );
}

awsFlags(program.command('deploy').description('roll out as a deploy.yaml (or JSON) spec describes').requiredOption('-f, --file <spec>', 'spec file'))
  .option('--no-wait', 'run until the next approval and exit 6 (paused)')
  .option('--id <id>', 'deployment id (default: generated)')
  .action((flags, cmd: Command) => runCommand(() => import('./commands/rollout.js').then((m) => m.deployCommand(cmd.optsWithGlobals()))));

const plan = awsFlags(program.command('plan').description('show what a rollout would do: steps, timings, live state, preflight, AWS calls (read-only)'))
  .option('-f, --file <spec>', 'spec file')
  .option('--offline', 'do not read the live state (no AWS calls)')
  .action((flags, cmd: Command) => runCommand(() => import('./commands/plan.js').then((m) => m.planCommand(undefined, cmd.optsWithGlobals()))));
for (const [name, addFlags] of Object.entries(STRATEGY_FLAGS)) {
  const command = plan.command(name).description(`plan a ${name} rollout`).option('--offline', 'do not read the live state (no AWS calls)');
  addFlags(runFlags(targetFlags(awsFlags(command)))).action((flags, cmd: Command) =>
    runCommand(() => import('./commands/plan.js').then((m) => m.planCommand(name, cmd.optsWithGlobals()))),
  );
}

const control = (name: string, description: string) => awsFlags(program.command(name).description(description));
control('status', 'show a deployment: step, live weights, gates, history').argument('[id]', 'deployment id (default: the latest)').option('--offline', 'do not read the live weights (no AWS calls)')
  .action((id: string | undefined, flags, cmd: Command) => runCommand(() => import('./commands/control.js').then((m) => m.statusCommand(id, cmd.optsWithGlobals()))));
control('list', 'list deployments').action((flags, cmd: Command) => runCommand(() => import('./commands/control.js').then((m) => m.listCommand(cmd.optsWithGlobals()))));
control('promote', 'continue a deployment past an approval or pause').argument('<id>').option('--full', 'go straight to 100% (still gated)').option('--no-wait', 'stop at the next approval')
  .action((id: string, flags, cmd: Command) => runCommand(() => import('./commands/control.js').then((m) => m.promoteCommand(id, cmd.optsWithGlobals()))));
control('abort', 'roll a deployment back').argument('<id>').option('--reason <text>', 'why, for the audit history')
  .action((id: string, flags, cmd: Command) => runCommand(() => import('./commands/control.js').then((m) => m.abortCommand(id, cmd.optsWithGlobals()))));
control('resume', 'continue a deployment whose process died, from its current step').argument('<id>').option('--no-wait', 'stop at the next approval')
  .action((id: string, flags, cmd: Command) => runCommand(() => import('./commands/control.js').then((m) => m.resumeCommand(id, cmd.optsWithGlobals()))));

program.command('demo').description('see deployctl work on a simulated world: a healthy canary to success, then a broken one rolled back (no AWS account)')
  .option('--fast', 'run in simulated time').option('--speed <n>', 'how many times faster than real time the demo world runs', '20')
  .action((flags, cmd: Command) => runCommand(() => import('./commands/demo.js').then((m) => m.demoCommand(cmd.optsWithGlobals()))));
const rehearse = awsFlags(program.command('rehearse').description('rehearse a rollout on a simulated world, in simulated time, and print its timeline'))
  .option('-f, --file <spec>', 'spec file')
  .action((flags, cmd: Command) => runCommand(() => import('./commands/demo.js').then((m) => m.rehearseCommand(undefined, cmd.optsWithGlobals()))));
for (const [name, addFlags] of Object.entries(STRATEGY_FLAGS)) {
  addFlags(runFlags(targetFlags(awsFlags(rehearse.command(name).description(`rehearse a ${name} rollout`))))).action((flags, cmd: Command) =>
    runCommand(() => import('./commands/demo.js').then((m) => m.rehearseCommand(name, cmd.optsWithGlobals()))),
  );
}
program.command('graph').description('the rollout machine of a plan as a diagram').option('-f, --file <spec>', 'spec file').addOption(new Option('--format <format>', 'diagram format').choices(['mermaid', 'dot']).default('mermaid'))
  .option('--strategy <name>', 'strategy when no spec is given', 'canary').option('--steps <list>', 'canary weights', '1,5,25,100').option('--bake <duration>', 'bake', '5m')
  .action((flags, cmd: Command) => runCommand(() => import('./commands/graph.js').then((m) => m.graphCommand(cmd.optsWithGlobals()))));
program.command('iam-policy').description('the least-privilege IAM policy a spec needs').requiredOption('-f, --file <spec>', 'spec file')
  .action((flags, cmd: Command) => runCommand(() => import('./commands/iamPolicy.js').then((m) => m.iamPolicyCommand(cmd.optsWithGlobals()))));
awsFlags(program.command('init-state-table').description('create the DynamoDB table for the shared state store').argument('<table>'))
  .action((table: string, flags, cmd: Command) => runCommand(() => import('./commands/control.js').then((m) => m.initStateTableCommand(table, cmd.optsWithGlobals()))));

await program.parseAsync(process.argv);
