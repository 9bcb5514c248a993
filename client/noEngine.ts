/** Why no engine could be reached: none answered, or the one autostart started exited first. */
export type NoEngineCode = 'noEngine' | 'engineExited';

export interface NoEngineDetails {
  code: NoEngineCode;
  /** The pipe or socket that was tried. */
  endpoint: string;
  /** Where the engine's connection file was looked for. */
  stateDir: string;
  /** `engineExited`: the autostarted engine's exit code (null if a signal ended it). */
  exitCode?: number | null;
  /** `engineExited`: what the autostarted engine wrote to stderr (its end, at most a few KiB). */
  stderr?: string;
}

/** No engine answers at this endpoint (nothing listening, or no connection file yet). */
export class NoEngineError extends Error {
  override readonly name = 'NoEngineError';
  readonly code: NoEngineCode;
  readonly endpoint: string | undefined;
  readonly stateDir: string | undefined;
  readonly exitCode: number | null | undefined;
  readonly stderr: string | undefined;

  constructor(message: string, details?: NoEngineDetails) {
    super(message);
    this.code = details?.code ?? 'noEngine';
    this.endpoint = details?.endpoint;
    this.stateDir = details?.stateDir;
    this.exitCode = details?.exitCode;
    this.stderr = details?.stderr;
  }
}

/** The command that starts an engine where this client looks for one. */
export function engineCommandFor(endpoint: string, stateDir: string): string {
  return `npx panepipe engine --endpoint ${JSON.stringify(endpoint)} --state-dir ${JSON.stringify(stateDir)}`;
}

/** The error a user sees when nothing answers: where it looked, why, and what to run. */
export function noEngineAt(endpoint: string, stateDir: string, why: string): NoEngineError {
  return new NoEngineError(
    `no panepipe engine answers at ${endpoint} (state dir ${stateDir}): ${why}. ` +
      `Start one with: ${engineCommandFor(endpoint, stateDir)}, or connect with { autostart: true }.`,
    { code: 'noEngine', endpoint, stateDir },
  );
}
