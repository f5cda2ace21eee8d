/** A Slack-compatible incoming webhook: POST {"text", "blocks"} as JSON, 2xx means delivered. */

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;

const ENV_REFERENCE = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** What the spec's slackWebhook resolves to: a URL to post to, or why there is none (never the URL itself). */
export type WebhookTarget = { readonly ok: true; readonly url: string } | { readonly ok: false; readonly problem: string };

/**
 * `${env:NAME}` → the variable's value, read when the notifier is created; a literal URL as it is. A URL the state
 * store masked (`https://host/***`, what a resumed deployment reads back for a literal URL) cannot be posted to.
 */
export function resolveWebhook(value: string, env: NodeJS.ProcessEnv): WebhookTarget {
  const reference = ENV_REFERENCE.exec(value);
  if (reference) {
    const found = env[reference[1]!]?.trim();
    if (!found) return { ok: false, problem: `notifications.slackWebhook refers to \${env:${reference[1]}}, which is not set in the environment` };
    return checkUrl(found, `\${env:${reference[1]}}`);
  }
  if (value.includes('***')) {
    return { ok: false, problem: 'notifications.slackWebhook was a literal URL, which the state store keeps masked; give it as ${env:NAME} to keep notifications after a resume' };
  }
  return checkUrl(value, 'notifications.slackWebhook');
}

function checkUrl(url: string, where: string): WebhookTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, problem: `${where} is not a URL` };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return { ok: false, problem: `${where} is not an http(s) URL` };
  return { ok: true, url };
}

/** Where a webhook goes, safe to print: scheme and host only (the path of a Slack webhook is its secret). */
export function describeWebhook(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}/…`;
  } catch {
    return 'the webhook';
  }
}

/** Posts one message; throws an Error whose message never contains the URL. */
export async function postWebhook(url: string, body: unknown, fetchImpl: FetchLike, timeoutMs: number): Promise<void> {
  let response: Awaited<ReturnType<FetchLike>>;
  try {
    response = await fetchImpl(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const name = (error as Error).name;
    // The cause is a network error (code, address, port); fetch never puts the URL's path in it.
    if (name === 'TimeoutError' || name === 'AbortError') throw new Error(`no answer within ${timeoutMs / 1000}s`, { cause: error });
    throw new Error(scrub(causeOf(error), url), { cause: error });
  }
  if (!response.ok) {
    const answer = (await response.text().catch(() => '')).slice(0, 200).trim();
    throw new Error(scrub(`HTTP ${response.status}${answer ? `: ${answer}` : ''}`, url));
  }
}

function causeOf(error: unknown): string {
  const e = error as Error & { cause?: { code?: string; message?: string } };
  const cause = e.cause?.code ?? e.cause?.message;
  return cause ? `${e.message} (${cause})` : e.message;
}

/** Removes the URL and its path from a message, in case a library or the server echoed it. */
function scrub(message: string, url: string): string {
  let path = '';
  try {
    path = new URL(url).pathname;
  } catch {
    // not a URL: nothing more to remove
  }
  let out = message.split(url).join(describeWebhook(url));
  if (path.length > 1) out = out.split(path).join('/…');
  return out;
}
