// One fleet size per process, so that its peak RSS is its own: node --expose-gc bench/fleet.mjs <deployments>
// Prints the result as one JSON line on stdout (run.mjs reads it).
import { openTsRunner } from './lib/tsRunner.mjs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const size = Number(process.argv[2]);
if (!Number.isInteger(size) || size < 1) {
  console.error('usage: node --expose-gc bench/fleet.mjs <deployments>');
  process.exit(2);
}
const runner = await openTsRunner();
try {
  const { fleet } = await runner.import('bench/lib/fleet.ts');
  const result = await fleet(size);
  console.log(JSON.stringify(result));
} finally {
  await runner.close();
}
