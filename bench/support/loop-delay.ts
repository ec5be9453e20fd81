import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ms } from './service.js';

/**
 * This process's event-loop delay from now until `stop()`: the benches time resumes in their own
 * process, so a busy loop there delays what they see. Printed next to the figures it could distort.
 */
export function loopDelay(): { stop(): string } {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  return {
    stop() {
      histogram.disable();
      const at = (p: number) => ms(histogram.percentile(p) / 1e6);
      return `${at(50)} / ${at(99)} / ${ms(histogram.max / 1e6)}`;
    },
  };
}
