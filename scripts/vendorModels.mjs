// Vendors the official botocore service models that the simulator's wire layer (src/sim/protocol) reads.
// CI runs on clean clones without /work/shared, so the trimmed copies are committed under src/sim/models.
// Usage: node scripts/vendorModels.mjs [sourceDir]   (default /work/shared/aws-models)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVICES = ['elbv2', 'autoscaling', 'ecs', 'lambda', 'route53', 'cloudwatch', 'dynamodb'];
// Prose only: the wire layer never reads it, and it is most of each file's size.
const STRIPPED_KEYS = new Set(['documentation', 'documentationUrl', 'deprecatedMessage']);
const LEGAL_FILES = ['LICENSE.txt', 'NOTICE'];

const sourceDir = process.argv[2] ?? '/work/shared/aws-models';
const targetDir = fileURLToPath(new URL('../src/sim/models/', import.meta.url));

function stripProse(value) {
  if (Array.isArray(value)) return value.map(stripProse);
  if (value === null || typeof value !== 'object') return value;
  const kept = {};
  for (const [key, child] of Object.entries(value)) {
    if (!STRIPPED_KEYS.has(key)) kept[key] = stripProse(child);
  }
  return kept;
}

mkdirSync(targetDir, { recursive: true });
for (const service of SERVICES) {
  const model = JSON.parse(readFileSync(join(sourceDir, `${service}.service-2.json`), 'utf8'));
  const trimmed = JSON.stringify(stripProse(model));
  writeFileSync(join(targetDir, `${service}.json`), `${trimmed}\n`);
  console.log(`vendored ${service}: ${Object.keys(model.operations).length} operations, ${trimmed.length} bytes`);
}
// Read and write instead of copyFileSync so the read-only mode of the shared copies is not carried over.
for (const file of LEGAL_FILES) writeFileSync(join(targetDir, file), readFileSync(join(sourceDir, file)));
