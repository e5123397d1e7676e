/** The built command line, run as a separate process the way a user runs it. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const PATCHBOARD_BIN = join(import.meta.dirname, '..', '..', 'bin', 'patchboard.js');

/** Runs `patchboard …args` and returns its exit code and output, whatever the code. */
export async function runPatchboard(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [PATCHBOARD_BIN, ...args], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
