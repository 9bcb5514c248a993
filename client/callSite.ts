import * as path from 'node:path';

/** This library's folders (client and protocol, in the build or the sources): frames there are not the caller. */
const LIBRARY_DIRS = [__dirname, path.join(__dirname, '..', 'protocol')].map((dir) => dir + path.sep);

/** Where the application called into the library: captured now, formatted only if it is ever shown. */
export interface CallSite {
  readonly stack?: string | undefined;
}

export function captureCallSite(): CallSite {
  const site: { stack?: string } = {};
  Error.captureStackTrace(site);
  return site as CallSite;
}

/** The frames of `site` below the library's own, as `    at …` lines. */
export function callerFrames(site: CallSite): string[] {
  const lines = (site.stack ?? '').split('\n').slice(1);
  const first = lines.findIndex((line) => !LIBRARY_DIRS.some((dir) => line.includes(dir)) && !line.includes('node:internal'));
  return first < 0 ? [] : lines.slice(first);
}

/** Give `err` the application's stack: its own message, then the frames where the call was made. */
export function withCallerStack<E extends Error>(err: E, site: CallSite): E {
  const frames = callerFrames(site);
  if (frames.length > 0) err.stack = `${err.name}: ${err.message}\n${frames.join('\n')}`;
  return err;
}
