import type { DeployEvent } from '../engine/events.js';
import { describeEvent, gateKey } from './describeEvent.js';
import { ProgressModel, weightBar } from './progressModel.js';
import type { IoHost } from './types.js';
import { formatDuration } from '../util/duration.js';

type Write = (text: string) => void;
const stdout: Write = (text) => process.stdout.write(text);
const stderr: Write = (text) => process.stderr.write(text);

/** One JSON object per line: every event, and messages as {"type":"log"}. For machines. */
export class NdjsonHost implements IoHost {
  constructor(private readonly out: Write = stdout) {}
  event(event: DeployEvent): void {
    this.out(`${JSON.stringify(event)}\n`);
  }
  info(text: string): void {
    this.out(`${JSON.stringify({ type: 'log', level: 'info', message: text })}\n`);
  }
  warn(text: string): void {
    this.out(`${JSON.stringify({ type: 'log', level: 'warn', message: text })}\n`);
  }
  error(text: string, details: readonly string[] = []): void {
    this.out(`${JSON.stringify({ type: 'log', level: 'error', message: text, details })}\n`);
  }
  close(): void {}
}

/** Timestamped lines for CI logs: only what a person needs, with a status line on every step. */
export class PlainHost implements IoHost {
  private lastGate: string | undefined;
  private readonly model = new ProgressModel();
  private origin: number | undefined;

  constructor(
    private readonly out: Write = stdout,
    private readonly err: Write = stderr,
    /** relative: stamp lines with time since the first event (+1h05m), for rehearsals in simulated time. */
    private readonly options: { readonly relative?: boolean } = {},
  ) {}

  event(event: DeployEvent): void {
    this.model.apply(event);
    const text = describeEvent(event, this.lastGate);
    this.lastGate = gateKey(event) ?? this.lastGate;
    if (text === undefined) return;
    this.origin ??= event.at;
    const stamp = this.options.relative ? `+${formatDuration((event.at - this.origin) / 1000).padEnd(7)}` : new Date(event.at).toISOString().replace(/\.\d{3}Z$/, 'Z');
    this.out(`${stamp} ${text}\n`);
    if (event.type === 'step.started') this.out(`${stamp}   ${this.model.statusLine(event.at)}\n`);
  }
  info(text: string): void {
    this.out(`${text}\n`);
  }
  warn(text: string): void {
    this.err(`warning: ${text}\n`);
  }
  error(text: string, details: readonly string[] = []): void {
    this.err(`error: ${text}\n${details.map((d) => `  ${d}\n`).join('')}`);
  }
  close(): void {}
}

/** Writes nothing (SDK default). */
export class SilentHost implements IoHost {
  event(): void {}
  info(): void {}
  warn(): void {}
  error(): void {}
  close(): void {}
}

/**
 * The live terminal view: steps with done/current/pending marks, a weight bar, gate state and the time to the
 * next step, redrawn in place; the event log scrolls above it.
 */
export class LiveHost implements IoHost {
  private readonly model = new ProgressModel();
  private lastGate: string | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private drawnLines = 0;

  constructor(
    private readonly now: () => number,
    private readonly out: Write = stdout,
  ) {}

  event(event: DeployEvent): void {
    this.model.apply(event);
    const text = describeEvent(event, this.lastGate);
    this.lastGate = gateKey(event) ?? this.lastGate;
    this.clear();
    if (text !== undefined) this.out(`${new Date(event.at).toISOString().slice(11, 19)} ${text}\n`);
    this.draw();
    this.timer ??= setInterval(() => {
      this.clear();
      this.draw();
    }, 1000);
    this.timer.unref();
    if (event.type === 'deployment.finished') this.close();
  }
  info(text: string): void {
    this.clear();
    this.out(`${text}\n`);
    this.draw();
  }
  warn(text: string): void {
    this.info(`warning: ${text}`);
  }
  error(text: string, details: readonly string[] = []): void {
    this.info(`error: ${text}${details.map((d) => `\n  ${d}`).join('')}`);
  }
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The view as text (also used by the docs recording). */
  frame(): string {
    const m = this.model;
    if (!m.plan) return '';
    const header = `deployctl ${m.id}  ${m.plan.strategy} on ${m.targets.join(', ')}`;
    return [header, `new version ${weightBar(m.weight)}`, ...m.stepLines().map((l) => `  ${l}`), m.statusLine(this.now())].join('\n');
  }

  private draw(): void {
    if (this.model.outcome) return;
    const frame = this.frame();
    if (!frame) return;
    // Lines wider than the terminal would wrap and leave copies behind at the next redraw: cut them.
    const width = Math.max(20, (process.stdout.columns ?? 120) - 1);
    const lines = frame.split('\n').map((line) => (line.length > width ? `${line.slice(0, width - 1)}…` : line));
    this.out(`${lines.join('\n')}\n`);
    this.drawnLines = lines.length;
  }

  private clear(): void {
    if (this.drawnLines > 0) this.out(`\x1b[${this.drawnLines}F\x1b[0J`);
    this.drawnLines = 0;
  }
}
