/** Bytes sent by a moment. */
export interface Sample {
  readonly at: number;
  readonly loaded: number;
}

/** How far back the speed looks: long enough to smooth bursts, short enough to follow a change. */
export const RATE_WINDOW_MS = 3000;

/** The samples of the last {@link RATE_WINDOW_MS}, with `sample` added. */
export function addSample(samples: readonly Sample[], sample: Sample, windowMs = RATE_WINDOW_MS): Sample[] {
  return [...samples.filter((s) => sample.at - s.at <= windowMs), sample];
}

/** Bytes per second over the samples; undefined until they span a quarter of a second. */
export function bytesPerSecond(samples: readonly Sample[]): number | undefined {
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last || last.at - first.at < 250) return undefined;
  return ((last.loaded - first.loaded) * 1000) / (last.at - first.at);
}
