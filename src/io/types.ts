import type { DeployEvent } from '../engine/events.js';

/** Where a command's output goes: a live terminal view, plain lines for CI logs, NDJSON, or nowhere. */
export interface IoHost {
  /** Progress of a deployment. */
  event(event: DeployEvent): void;
  /** A result or message for the user (plan output, status tables). */
  info(text: string): void;
  warn(text: string): void;
  error(text: string, details?: readonly string[]): void;
  /** Flushes and stops any redraw. */
  close(): void;
}

export type OutputFormat = 'text' | 'json';
