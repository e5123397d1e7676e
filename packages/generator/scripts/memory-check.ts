/**
 * Generates a fleet into a temporary folder, then prints the time taken and the peak resident memory: the
 * check that generation stays bounded at 100,000 nodes, too slow to be a unit test. Removes the fleet after.
 *
 *   npx tsx packages/generator/scripts/memory-check.ts [nodes=100000] [days=1]
 *
 * MEMORY_CHECK_DIR chooses where the temporary folder goes (default: the system's temporary folder).
 */
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFleet } from '../src/index.js';

const nodes = Number(process.argv[2] ?? 100_000);
const days = Number(process.argv[3] ?? 1);
const dir = await mkdtemp(join(process.env.MEMORY_CHECK_DIR ?? tmpdir(), 'patchboard-memory-check-'));
try {
  const start = performance.now();
  let reported = 0;
  const summary = await generateFleet({
    outDir: dir,
    nodes,
    days,
    at: '2026-10-31T00:00:00Z',
    onProgress: (done, total) => {
      if (done === total || done - reported >= total / 10) {
        reported = done;
        process.stderr.write(
          `  ${done} / ${total} nodes, ${((performance.now() - start) / 1000).toFixed(1)} s\n`,
        );
      }
    },
  });
  const seconds = (performance.now() - start) / 1000;
  // maxRSS is in kibibytes.
  const peakMib = process.resourceUsage().maxRSS / 1024;
  console.log(
    `${nodes} nodes x ${days} day(s): ${summary.files} files, ${(summary.bytes / 1e6).toFixed(1)} MB in the bucket copy ` +
      `(${(summary.bytes / nodes / 1024).toFixed(1)} KiB per node), ${seconds.toFixed(1)} s, peak RSS ${peakMib.toFixed(0)} MiB`,
  );
} finally {
  // Synchronously: the asynchronous fs.rm would queue all of the fleet's files at once.
  rmSync(dir, { recursive: true, force: true });
}
