// Generates deploy.schema.json, the JSON Schema editors use for completion in deploy.yaml, from the one source of
// truth: the zod schema in src/config/schema.ts (zod 4's z.toJSONSchema). The TypeScript source is bundled in
// memory with esbuild (a dev dependency), so this needs neither a build nor a TypeScript loader.
//
//   node scripts/generateSchema.mjs            write deploy.schema.json
//   node scripts/generateSchema.mjs --check    exit 1 when the committed file differs from the source
//   node scripts/generateSchema.mjs --stdout   print it (test/schema compares this with the committed file)
//
// Draft-07, the input side of the schema (fields with defaults are optional), because yaml-language-server and
// most editors support it best. zod's own string formats that are not JSON Schema formats (starts_with, ...) are
// dropped: the pattern beside them says the same, and validators reject formats they do not know.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'deploy.schema.json');

/** Formats draft-07 defines; anything else zod emits is left out. */
const DRAFT7_FORMATS = new Set(['date-time', 'date', 'time', 'email', 'idn-email', 'hostname', 'idn-hostname', 'ipv4', 'ipv6', 'uri', 'uri-reference', 'iri', 'iri-reference', 'uri-template', 'json-pointer', 'relative-json-pointer', 'regex']);

async function loadSchemaModule() {
  const result = await build({
    stdin: { contents: "export { z } from 'zod';\nexport { DeploySpec } from './src/config/schema.ts';\n", resolveDir: root, loader: 'ts', sourcefile: 'schema-entry.ts' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  const code = result.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

export async function renderSchema() {
  const { z, DeploySpec } = await loadSchemaModule();
  const schema = z.toJSONSchema(DeploySpec, {
    target: 'draft-7',
    io: 'input',
    override: ({ jsonSchema }) => {
      if (typeof jsonSchema.format === 'string' && !DRAFT7_FORMATS.has(jsonSchema.format)) delete jsonSchema.format;
    },
  });
  const { $schema, ...rest } = schema;
  const document = {
    $schema,
    $comment: 'Generated from src/config/schema.ts by `node scripts/generateSchema.mjs`; do not edit by hand.',
    ...rest,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

const text = await renderSchema();
if (process.argv.includes('--stdout')) {
  process.stdout.write(text);
} else if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    // missing: differs
  }
  if (committed !== text) {
    console.error('deploy.schema.json is out of date with src/config/schema.ts: run `node scripts/generateSchema.mjs` and commit it');
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
