/** Opt-in trace of the win32 backend (PANEPIPE_WIN32_TRACE=<file>): synchronous appends, engine thread only. */
import * as fs from 'node:fs';

const file = process.env.PANEPIPE_WIN32_TRACE;

/** Check before building an expensive message. */
export const tracing = file !== undefined && file !== '';

export function trace(message: string): void {
  if (file) fs.appendFileSync(file, `${new Date().toISOString()} ${message}\n`);
}
