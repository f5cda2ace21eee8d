import { USER_AGENT } from '../../aws/clients.js';
import { abortable, HookFailure, seconds, type HookPayload } from './hookFailure.js';

export interface HttpHookRequest {
  readonly url: string;
  /** Values may hold `${env:NAME}` references, resolved at call time; values are never printed. */
  readonly headers: Readonly<Record<string, string>>;
  readonly env: NodeJS.ProcessEnv;
  readonly fetch: typeof fetch;
}

const ENV_REFERENCE = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** POSTs the deployment context as JSON; any 2xx passes. Redirects are not followed (a 3xx fails). */
export async function postHttpHook(request: HttpHookRequest, payload: HookPayload, signal: AbortSignal): Promise<string> {
  const headers = { 'content-type': 'application/json', 'user-agent': USER_AGENT, ...resolveHeaders(request.headers, request.env) };
  const target = `POST ${safeUrl(request.url)}`;
  const started = Date.now();
  const work = async () => {
    const response = await request.fetch(request.url, { method: 'POST', headers, body: JSON.stringify(payload), signal, redirect: 'manual' });
    const body = await response.text().catch(() => '');
    return { status: response.status, statusText: response.statusText, body };
  };
  let answer: { status: number; statusText: string; body: string };
  try {
    answer = await abortable(work(), signal);
  } catch (error) {
    if (signal.aborted) throw error;
    throw new HookFailure(`${target} failed: ${reasonOf(error)}`);
  }
  const line = `${target} answered ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''} after ${seconds(Date.now() - started)}`;
  if (answer.status >= 200 && answer.status < 300) return line;
  const body = answer.body.trim();
  throw new HookFailure(`${line}${body ? `: ${body.length > 300 ? `${body.slice(0, 300)}…` : body}` : ''}`);
}

/** `${env:NAME}` → the variable's value. A missing variable fails the hook, naming the header and the variable. */
export function resolveHeaders(headers: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv): Record<string, string> {
  const resolved: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    resolved[name] = value.replace(ENV_REFERENCE, (_match, variable: string) => {
      const found = env[variable];
      if (found === undefined) throw new HookFailure(`header ${name} refers to \${env:${variable}}, which is not set in the environment`);
      return found;
    });
  }
  return resolved;
}

/** Scheme and host only: webhook paths and query strings often carry secrets. */
function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname === '/' && !parsed.search ? parsed.origin : `${parsed.origin}/…`;
  } catch {
    return '(invalid URL)';
  }
}

/** fetch hides the interesting part (ECONNREFUSED, certificate errors) in `cause`. */
function reasonOf(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return cause?.code ? `${message} (${cause.code})` : cause?.message ? `${message} (${cause.message})` : message;
}
