import { loadSpecFile } from '../../config/loadSpec.js';
import { parseSpec } from '../../config/resolve.js';
import { iamPolicy } from '../../providers/permissions.js';
import type { Flags } from '../toSpec.js';

/** deployctl iam-policy -f deploy.yaml: the least-privilege policy document, as JSON. */
export async function iamPolicyCommand(flags: Flags): Promise<number> {
  const loaded = loadSpecFile(String(flags.file));
  const spec = parseSpec(loaded.value, loaded.locate);
  const policy = iamPolicy(spec, typeof flags.stateTable === 'string' ? { stateTable: flags.stateTable } : {});
  process.stdout.write(`${JSON.stringify(policy, null, 2)}\n`);
  return 0;
}
