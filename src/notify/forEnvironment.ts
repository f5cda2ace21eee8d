import type { ParsedDeploySpec } from '../config/schema.js';
import type { EventSink } from '../engine/deployment.js';
import type { Environment } from '../environment.js';

/**
 * Notifications when the spec asks for them — but never from a simulated world: a rehearsal must not page
 * anyone. The notifier loads lazily (it brings the SNS client).
 */
export async function notifierFor(spec: ParsedDeploySpec, env: Environment, warn: (text: string) => void): Promise<EventSink | undefined> {
  if (!spec.notifications || env.world) return undefined;
  const { createNotifier } = await import('./index.js');
  return createNotifier(spec, { clients: env.clients, clock: env.clock, warn });
}
