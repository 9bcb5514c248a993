import * as readline from 'node:readline';
import { parseArgs } from 'node:util';
import { connect, type Client, type PanepipeEvent } from '../../client';
import { ENGINE_VERSION } from '../../engine/version';
import { translateEvent } from './events';
import { HostIds } from './ids';
import { INTERNAL_ERROR, INVALID_PARAMS, METHOD_NOT_FOUND, RpcError, errorResponse, notification, parseLine, resultResponse, type Request } from './jsonrpc';
import { Params, QUERY_METHODS, STATE_METHODS, validatePlan, type HostState, type Plan } from './methods';
import type { HostSurface } from './ids';
import { FIND_ENGINE_HELP, FIND_ENGINE_OPTIONS, NO_ENGINE, engineWhere } from '../connectExisting';

export const HOST_HELP = `Usage: panepipe host [--endpoint P] [--state-dir DIR] [--no-autostart]

A drop-in for winpane-host: JSON-RPC 2.0 over stdio, one JSON object per
line. Requests on stdin are answered on stdout in order; event
notifications ({"method":"event","params":{"type":...}}) are interleaved on
stdout. Diagnostics go to stderr. The host is one client of the engine: it
connects to the running engine (starting one unless --no-autostart) and its
surfaces go when stdin reaches EOF. See docs/host.md.

Options:
${FIND_ENGINE_HELP}
  --no-autostart       fail instead of starting an engine when none runs

Exit codes: 0 stdin closed, 2 bad usage, 3 no engine (could not connect or
start one), 4 the engine shut down or the connection to it was lost.
`;

export const ENGINE_LOST = 4;

type EngineError = PanepipeEvent & { type: 'error' };

/** An engine refusal as this request's error: -32603 where the engine failed, -32602 where it refused the values. */
function refusal(method: string, failure: EngineError): RpcError {
  const code = failure.code === 'internal' || failure.code === 'shuttingDown' ? INTERNAL_ERROR : INVALID_PARAMS;
  return new RpcError(code, `${method}: ${failure.message}`);
}

export async function hostCommand(argv: string[]): Promise<number> {
  // A command line parseArgs refuses is reported by the CLI's entry point, briefly.
  const { values } = parseArgs({ args: argv, options: { ...FIND_ENGINE_OPTIONS, 'no-autostart': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(HOST_HELP);
    return 0;
  }
  let client: Client;
  try {
    client = await connect({ ...engineWhere(values), autostart: !values['no-autostart'], name: 'panepipe host' });
  } catch (err) {
    process.stderr.write(`panepipe host: ${(err as Error).message}\n`);
    return NO_ENGINE;
  }
  // A reader that went away (EPIPE) ends the session like EOF would.
  process.stdout.on('error', () => process.stdin.destroy());
  process.stderr.write(`panepipe host ${ENGINE_VERSION} (winpane-host protocol; engine ${client.engineVersion}, ${client.backend})\n`);
  return new Host(client).run(process.stdin, (line) => void process.stdout.write(`${line}\n`));
}

/** One JSON-RPC session over one engine connection. */
export class Host {
  private readonly state: HostState;
  /** Engine errors of the commands of the request being answered, by seq. */
  private readonly watched = new Map<number, EngineError>();
  private readonly watching = new Set<number>();
  /** Event lines that follow the response being written (winpane reports a move after answering). */
  private trailing: string[] = [];
  private lost = false;
  private onLost: () => void = () => undefined;

  constructor(
    private readonly client: Client,
    private write: (line: string) => void = () => undefined,
  ) {
    this.state = { client, ids: new HostIds(), extended: false };
  }

  /** Serve `input` until EOF (0) or until the engine goes away (4). */
  async run(input: NodeJS.ReadableStream, write: (line: string) => void): Promise<number> {
    this.write = write;
    const lines: string[] = [];
    let eof = false;
    let wake: () => void = () => undefined;
    const rl = readline.createInterface({ input, crlfDelay: Infinity });
    rl.on('line', (l) => {
      lines.push(l);
      wake();
    });
    rl.on('close', () => {
      eof = true;
      wake();
    });
    const lost = new Promise<void>((resolve) => (this.onLost = resolve));
    let serving = true;
    let finished: () => void = () => undefined;
    const done = new Promise<void>((r) => (finished = r));
    // Forward events as they arrive, between requests as well as while one waits.
    void (async () => {
      while (serving) {
        await Promise.race([this.client.waitForEvent(), done]);
        if (serving) this.pump();
      }
    })();
    try {
      for (;;) {
        this.pump();
        if (this.lost) break;
        const line = lines.shift();
        if (line !== undefined) {
          if (line.trim() !== '') await this.handleLine(line);
          continue;
        }
        if (eof) break;
        await Promise.race([new Promise<void>((r) => (wake = r)), lost]);
      }
    } finally {
      serving = false;
      finished();
      rl.close();
    }
    if (this.lost) {
      process.stderr.write('panepipe host: the engine went away; exiting\n');
      return ENGINE_LOST;
    }
    await this.client.close(); // the engine destroys every surface of this host
    return 0;
  }

  /** Answer one line (nothing for a notification). */
  async handleLine(line: string): Promise<void> {
    const parsed = parseLine(line);
    if (!parsed.ok) return this.write(parsed.response);
    const { request } = parsed;
    let response: string;
    try {
      response = resultResponse(request.id ?? null, await this.dispatch(request));
    } catch (err) {
      const e = err instanceof RpcError ? err : new RpcError(INTERNAL_ERROR, `internal error: ${(err as Error).message}`);
      response = errorResponse(request.id ?? null, e.code, e.message);
    }
    if (request.id !== undefined) this.write(response);
    for (const line of this.trailing.splice(0)) this.write(line);
  }

  private async dispatch(request: Request): Promise<unknown> {
    const params = new Params(request.params);
    if (request.params !== null && (typeof request.params !== 'object' || Array.isArray(request.params))) {
      throw new RpcError(INVALID_PARAMS, 'params must be an object');
    }
    const query = Object.hasOwn(QUERY_METHODS, request.method) ? QUERY_METHODS[request.method] : undefined;
    if (query) return query(this.state, params);
    const method = Object.hasOwn(STATE_METHODS, request.method) ? STATE_METHODS[request.method] : undefined;
    if (!method) throw new RpcError(METHOD_NOT_FOUND, `unknown method: ${request.method}`);
    const plan = method(this.state, params);
    validatePlan(request.method, plan);
    const failure = await this.apply(plan.commands);
    if (failure && failure.code === plan.ifRefused?.code) {
      const fallback = await this.apply(plan.ifRefused.commands);
      if (fallback) throw refusal(request.method, fallback);
      return {};
    }
    if (failure) throw refusal(request.method, failure);
    plan.after?.();
    for (const s of plan.moves ?? []) await this.noteMove(s);
    return {};
  }

  /**
   * Send commands (several as one batch) and wait until the engine applied
   * them, as winpane-host answers once a command is done. Returns the
   * engine's refusal, if any.
   */
  private async apply(commands: Plan['commands']): Promise<EngineError | undefined> {
    if (commands.length === 0) return undefined;
    let seq: number;
    if (commands.length === 1) {
      const { op, ...fields } = commands[0]!;
      seq = this.client.command(op, fields as never);
    } else {
      seq = this.client.command('batch', { commands });
    }
    this.watching.add(seq);
    try {
      await this.client.sync();
      this.pump();
      return this.watched.get(seq);
    } finally {
      this.watching.delete(seq);
      this.watched.delete(seq);
    }
  }

  /** winpane reports every move of a window, its own `set_position` included: `surface_moved` after the answer. */
  private async noteMove(s: HostSurface): Promise<void> {
    if (!this.state.ids.get(s.hostId)) return;
    const at = await this.client.request('getPosition', { surface: s.engineId });
    this.trailing.push(notification('event', { type: 'surface_moved', surface_id: s.hostId, x: Math.round(at.x), y: Math.round(at.y) }));
  }

  /** Forward every waiting event; keep the errors of the commands being answered. */
  private pump(): void {
    for (let ev = this.client.pollEvent(); ev; ev = this.client.pollEvent()) {
      if (ev.type === 'disconnected') {
        if (ev.reason !== 'closed') {
          this.lost = true;
          this.onLost();
        }
        continue;
      }
      if (ev.type === 'error' && ev.seq !== null && this.watching.has(ev.seq)) {
        this.watched.set(ev.seq, ev);
        continue;
      }
      const params = translateEvent(ev, this.state.ids, this.state.extended);
      if (params) this.write(notification('event', params));
    }
  }
}
