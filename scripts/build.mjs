// Bundles the CLI (and the GitHub Action, and the SDK) with esbuild.
// - dist/deployctl.js: the whole CLI in one file (AWS SDK included, loaded lazily: dynamic imports become
//   functions that run only when a command needs them), so `node dist/deployctl.js demo` works on a fresh
//   clone with nothing installed.
// - dist/action.js: the GitHub Action entry, same idea (committed; a test checks it matches the source).
// - dist/index.js: the SDK for `import { deploy } from 'deployctl'`, with dependencies left to npm.
// The simulated world's AWS models (src/sim/models/*.json) are inlined as strings, parsed on first use.
import { build } from 'esbuild';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const check = process.argv.includes('--check');
const outdir = process.argv.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length) ?? 'dist';
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

/** Replaces the model loader's file read with the models themselves, so the bundle needs no files beside it. */
const inlineModels = {
  name: 'inline-aws-models',
  setup(b) {
    b.onLoad({ filter: /src[\\/]sim[\\/]protocol[\\/]modelSource\.ts$/ }, () => {
      const dir = 'src/sim/models';
      const models = Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => [f.replace(/\.json$/, ''), readFileSync(join(dir, f), 'utf8')]));
      return { loader: 'ts', contents: `const MODELS: Record<string, string> = ${JSON.stringify(models)};\nexport function readModelText(service: string): string {\n  const text = MODELS[service];\n  if (text === undefined) throw new Error('no bundled model for ' + service);\n  return text;\n}\n` };
    });
  },
};

const common = {
  bundle: true,
  // Minified: the CLI bundle is parsed at every start; a smaller file starts ~2x faster. Names are kept so
  // error classes and stack traces stay readable.
  minify: true,
  keepNames: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
  // CommonJS dependencies inside an ESM bundle need require; the AWS SDK is CommonJS.
  banner: { js: "import { createRequire as __deployctlCreateRequire } from 'node:module'; const require = __deployctlCreateRequire(import.meta.url);" },
  define: { 'process.env.DEPLOYCTL_BUNDLED': '"1"' },
  plugins: [inlineModels],
};

const targets = [
  // src/cli/main.ts starts with a hashbang, which esbuild keeps as the first line.
  { entryPoints: ['src/cli/main.ts'], outfile: join(outdir, 'deployctl.js') },
  { entryPoints: ['src/action/main.ts'], outfile: join(outdir, 'action.js') },
  { entryPoints: ['src/index.ts'], outfile: join(outdir, 'index.js'), external: Object.keys(pkg.dependencies ?? {}) },
].filter((t) => t.entryPoints.every((e) => { try { readFileSync(e); return true; } catch { return false; } }));

for (const target of targets) await build({ ...common, ...target, banner: target.banner ?? common.banner });
if (!check) console.log(`built ${targets.map((t) => t.outfile).join(', ')}`);
