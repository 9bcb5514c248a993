import { PanepipeError, type ErrorCode, type PanepipeEvent } from '../protocol';
import { callerFrames, withCallerStack, type CallSite } from './callSite';

/** An `error` event: a fire-and-forget command failed (nothing else changed). */
export type ErrorEvent = Extract<PanepipeEvent, { type: 'error' }>;

/**
 * A fire-and-forget command that failed, as `client.on('error', …)` and
 * `sync()` hand it over: the engine's code and message, the command's op and
 * seq, and (where known) a stack that starts where the application issued it.
 */
export class CommandError extends PanepipeError {
  override readonly name: string = 'CommandError';
  /** The seq `command()` returned for the failed command; null when the engine could not read the frame at all. */
  readonly seq: number | null;
  constructor(readonly event: ErrorEvent) {
    super(event.code as ErrorCode, event.message, event.op ?? undefined);
    this.seq = event.seq;
  }
}

/** Call sites remembered per seq; commands fail within moments, so the last few thousand suffice. */
const SITES_KEPT = 4096;
/** Errors kept for the next `sync()` when nobody syncs. */
const UNCLAIMED_KEPT = 1000;

/**
 * What becomes of failed commands: each is matched to where it was issued,
 * kept until a `sync()` that covers it claims it, and shown on stderr when
 * the application installed no error handler.
 */
export class CommandErrors {
  private readonly sites = new Array<{ seq: number; site: CallSite } | undefined>(SITES_KEPT);
  private unclaimed: CommandError[] = [];

  /** Remember where command `seq` was issued. */
  issued(seq: number, site: CallSite): void {
    this.sites[seq % SITES_KEPT] = { seq, site };
  }

  /** A failed command: the error it becomes, kept for the next sync. */
  failed(event: ErrorEvent): CommandError {
    const err = new CommandError(event);
    const entry = event.seq === null ? undefined : this.sites[event.seq % SITES_KEPT];
    if (entry && entry.seq === event.seq) withCallerStack(err, entry.site);
    else err.stack = `${err.name}: ${err.message}`;
    this.unclaimed.push(err);
    if (this.unclaimed.length > UNCLAIMED_KEPT) this.unclaimed.shift();
    return err;
  }

  /** Errors of the commands sent before the sync numbered `seq` (and of unreadable frames), each claimed once. */
  claimBefore(seq: number): CommandError[] {
    const covered = (e: CommandError) => e.seq === null || e.seq < seq;
    const claimed = this.unclaimed.filter(covered);
    this.unclaimed = this.unclaimed.filter((e) => !covered(e));
    return claimed;
  }
}

/** One line for stderr, plus the line of the application's code that issued the command when known. */
export function warningText(err: CommandError): string {
  const what = err.op ? `${err.op} (seq ${err.seq ?? '?'})` : 'a command';
  const at = callerFrames(err)[0]?.trim();
  return `panepipe: ${what} failed [${err.code}]: ${err.message}${at ? `\n    ${at}` : ''}\n`;
}
