import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { abortable, HookFailure, lastLines, type HookPayload } from './hookFailure.js';

/**
 * Invokes the function synchronously with the deployment context; it passes when the call succeeds without a
 * FunctionError and the answer's `status` is "Succeeded" (any case) — CodeDeploy's hook contract.
 */
export async function invokeLambdaHook(functionName: string, lambda: () => Promise<LambdaClient>, payload: HookPayload, signal: AbortSignal): Promise<string> {
  const client = await abortable(lambda(), signal);
  const command = new InvokeCommand({
    FunctionName: functionName,
    InvocationType: 'RequestResponse',
    // The last 4 KB of the function's log come back with the answer: shown when the hook fails.
    LogType: 'Tail',
    Payload: new TextEncoder().encode(JSON.stringify(payload)),
  });
  const response = await abortable(client.send(command, { abortSignal: signal }), signal);
  const answer = response.Payload ? new TextDecoder().decode(response.Payload) : '';
  const log = logTail(response.LogResult);
  if (response.FunctionError) throw new HookFailure(`lambda ${functionName} failed (${response.FunctionError}): ${clip(answer)}${log}`);
  const status = statusOf(answer);
  if (status?.toLowerCase() === 'succeeded') return `lambda ${functionName} answered status ${status}`;
  throw new HookFailure(`lambda ${functionName} answered ${clip(answer) || '(nothing)'}, not {"status":"Succeeded"}${log}`);
}

function statusOf(answer: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(answer);
    if (parsed && typeof parsed === 'object' && 'status' in parsed && typeof parsed.status === 'string') return parsed.status;
  } catch {
    // Not JSON: no status.
  }
  return undefined;
}

function logTail(logResult: string | undefined): string {
  if (!logResult) return '';
  const lines = lastLines(Buffer.from(logResult, 'base64').toString('utf8'), 5);
  return lines.length > 0 ? `; function log ends:\n    ${lines.join('\n    ')}` : '';
}

function clip(text: string): string {
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}
