import * as fs from 'node:fs';

/** Resident memory of a process, bytes, from /proc (Linux). */
export function rssOf(pid: number): number {
  return Number(fs.readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * 4096;
}

/**
 * Growth per frame of a soak's RSS samples (taken at even steps over
 * `frames` frames, after a warm-up): the lowest sample of the last quarter
 * minus that of the first, so the sawtooth of garbage collected on schedule
 * does not count and a leak does.
 */
export function floorGrowthPerFrame(samples: readonly number[], frames: number): number {
  const stretch = Math.floor(samples.length / 4);
  return (Math.min(...samples.slice(-stretch)) - Math.min(...samples.slice(0, stretch))) / frames;
}
