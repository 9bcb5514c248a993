import { closest as nearest, distance } from 'fastest-levenshtein';

/** Exit code of a command line the CLI cannot run. */
export const USAGE = 2;

/** The known name closest to `given`, if it is close enough to be what was meant. */
export function closest(given: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return undefined;
  const best = nearest(given, [...known]);
  // A third of the name may be wrong: "stauts" → "status", but "x" suggests nothing.
  return distance(given, best) <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

/** ` (did you mean "X"?)` when a known name is close to `given`, else nothing. */
export function didYouMean(given: string, known: readonly string[]): string {
  const near = closest(given, known);
  return near === undefined ? '' : ` (did you mean "${near}"?)`;
}

/**
 * A usage error as one short message: what is wrong (with a suggestion for
 * an unknown option), and where the full help is, never the whole help.
 */
export function usageError(command: string, message: string, options: readonly string[] = []): number {
  const unknown = /^Unknown option '(--?[\w-]+)'/.exec(message)?.[1];
  const hint = unknown
    ? didYouMean(
        unknown,
        options.map((o) => `--${o}`),
      )
    : '';
  process.stderr.write(`${command}: ${message}${hint}\nRun "${command} --help" for usage.\n`);
  return USAGE;
}
