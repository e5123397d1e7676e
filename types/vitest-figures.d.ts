/**
 * What a reliability test reports about itself: `npm run reliability` reads it from the JSON reporter's
 * per-test `meta` and prints one table of cases tried, faults injected and errors reported.
 */
import 'vitest';

declare module 'vitest' {
  interface TaskMeta {
    figures?: {
      /** The row of the summary table, e.g. `hostile bucket`. */
      readonly area: string;
      /** Inputs tried. */
      readonly cases?: number;
      /** Faults injected (kills, full disks, dropped connections). */
      readonly faults?: number;
      /** Bad inputs reported as they should be (not test failures). */
      readonly errors?: number;
    };
  }
}
