// Runs the benchmarks' TypeScript (and the src/ it imports) through vite's module runner, in this process.
import { fileURLToPath } from 'node:url';
import { createServer, createServerModuleRunner } from 'vite';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A module runner over the repository: import('bench/lib/x.ts') returns the module's exports. */
export async function openTsRunner() {
  const server = await createServer({
    root: ROOT,
    configFile: false,
    logLevel: 'error',
    appType: 'custom',
    clearScreen: false,
    server: { middlewareMode: true, hmr: false, watch: null, ws: false },
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  const runner = createServerModuleRunner(server.environments.ssr, { hmr: false });
  return {
    import: (path) => runner.import(new URL(path, `file://${ROOT}`).pathname),
    close: async () => {
      await runner.close();
      await server.close();
    },
  };
}
