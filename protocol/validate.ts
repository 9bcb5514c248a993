import type { z } from 'zod';
import { CommandSchemas, isOpName, type Command, type OpName } from './commands';
import { boundedMessage } from './errorMessage';
import { compileFastCheck, type FastCheck } from './fastCheck';
import type { ErrorCode } from './errors';
import { LIMIT_MESSAGE_PREFIX } from './limits';

export type ParsedCommand =
  /** `verbatim`: the command is the decoded value itself, unchanged by validation. */
  { ok: true; command: Command; verbatim: boolean } | { ok: false; seq: number | null; op: string | null; code: ErrorCode; message: string };

/** Each op's schema compiled to a yes/no check on its first use (not at start-up: clients and the engine thread never validate); zod decides whenever it says no. */
const fastChecks = new Map<OpName, FastCheck | null>();

function fastCheckFor(op: OpName): FastCheck | null {
  let check = fastChecks.get(op);
  if (check === undefined) {
    check = compileFastCheck(CommandSchemas[op]);
    fastChecks.set(op, check);
  }
  return check;
}

/** Validate one decoded frame as a command. Never throws. */
export function parseCommand(raw: unknown): ParsedCommand {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, seq: null, op: null, code: 'invalidCommand', message: 'a command must be a map with "op" and "seq"' };
  }
  const record = raw as Record<string, unknown>;
  const seq = typeof record.seq === 'number' && Number.isSafeInteger(record.seq) ? record.seq : null;
  const op = record.op;
  if (!isOpName(op)) {
    const shown = typeof op === 'string' ? `"${op.slice(0, 64)}"` : typeof op;
    return { ok: false, seq, op: typeof op === 'string' ? op.slice(0, 64) : null, code: 'unknownOp', message: `unknown op ${shown}` };
  }
  if (fastCheckFor(op)?.(raw)) return { ok: true, command: raw as Command, verbatim: true };
  const parsed = CommandSchemas[op].safeParse(raw);
  if (parsed.success) return { ok: true, command: parsed.data as Command, verbatim: false };
  return { ok: false, seq, op, ...describeIssues(op, parsed.error) };
}

/** Turn zod issues into one readable message of at most `maxErrorMessageBytes`, and the right code. */
export function describeIssues(op: string, error: z.ZodError): { code: ErrorCode; message: string } {
  const issues = error.issues.slice(0, 5).map((issue) => {
    const where = issue.path.length ? issue.path.join('.') : '(command)';
    return `${where}: ${issue.message}`;
  });
  const more = error.issues.length > 5 ? ` (+${error.issues.length - 5} more)` : '';
  const overLimit = error.issues.some((issue) => issue.message.startsWith(LIMIT_MESSAGE_PREFIX));
  return {
    code: overLimit ? 'limitExceeded' : 'invalidCommand',
    message: boundedMessage(`${op}: ${issues.join('; ')}${more}`),
  };
}
