/**
 * The robustness layer: irregularities the SSM Agent and Resource Data Sync are not known to write, which a
 * tolerant reader still has to survive, each on a small deterministic share of files: a UTF-8 BOM, CRLF line
 * ends, blank lines between records, `ResourceId`/`CaptureTime` key casing, no final newline, the API's
 * `MISSING` or `INSTALLED_PENDING_REBOOT` spellings, PatchSummary counts as JSON numbers (the agent writes
 * strings), an empty AWS:ComplianceItem object for a never-scanned node. Off by default (the demo and the
 * ground-truth tests see what the agent writes); `generate --quirks` turns it on for robustness tests. A
 * file's quirks depend only on (node, type), so a file that does not change from one day to the next keeps
 * its bytes. Every line stays valid JSON: broken input is handcrafted elsewhere.
 */
import type { PatchState } from './patching.js';
import { chance, textHash } from './random.js';
import type { TruthMeta } from './truth.js';

export type QuirkTally = TruthMeta['quirks'];

export interface FileQuirks {
  readonly bom: boolean;
  readonly crlf: boolean;
  readonly blankLines: boolean;
  readonly keyCase: boolean;
  readonly noFinalNewline: boolean;
}

const SALT = {
  bom: textHash('bom'),
  crlf: textHash('crlf'),
  blankLines: textHash('blank lines'),
  keyCase: textHash('key case'),
  noFinalNewline: textHash('no final newline'),
  upperCase: textHash('upper-case state'),
  numeric: textHash('numeric counts'),
};

const KEY_VARIANTS: Record<string, string> = { resourceId: 'ResourceId', captureTime: 'CaptureTime' };

/** No quirk at all: the files as the agent and the sync write them. */
export const NO_QUIRKS: FileQuirks = {
  bom: false,
  crlf: false,
  blankLines: false,
  keyCase: false,
  noFinalNewline: false,
};

export const emptyTally = (): QuirkTally => ({
  bom: 0,
  crlf: 0,
  blankLines: 0,
  upperCaseStates: 0,
  keyCaseVariants: 0,
  emptyFiles: 0,
  numericCounts: 0,
});

/** The quirks of one node's file of one type, counted only where they show: blank lines need two records. */
export function fileQuirks(nodeKey: number, typeName: string, records: number): FileQuirks {
  const type = textHash(typeName);
  const noFinalNewline = chance(nodeKey, type, SALT.noFinalNewline) < 0.04;
  return {
    bom: chance(nodeKey, type, SALT.bom) < 0.02,
    // A one-line file without its final newline has no line end to write as CRLF.
    crlf: (records > 1 || !noFinalNewline) && chance(nodeKey, type, SALT.crlf) < 0.05,
    blankLines: records > 1 && chance(nodeKey, type, SALT.blankLines) < 0.03,
    keyCase: chance(nodeKey, type, SALT.keyCase) < 0.02,
    noFinalNewline,
  };
}

/** JSON lines as the sync writes them, with the file's quirks; no records make an empty object. */
export function serialise(records: readonly Record<string, unknown>[], quirks: FileQuirks): string {
  if (records.length === 0) return '';
  const newline = quirks.crlf ? '\r\n' : '\n';
  const lines = records.map((record) => JSON.stringify(quirks.keyCase ? withKeyVariants(record) : record));
  const body = lines.join(quirks.blankLines ? newline + newline : newline);
  return `${quirks.bom ? '\ufeff' : ''}${body}${quirks.noFinalNewline ? '' : newline}`;
}

function withKeyVariants(record: Record<string, unknown>): Record<string, unknown> {
  const renamed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) renamed[KEY_VARIANTS[key] ?? key] = value;
  return renamed;
}

/** The PatchState as written: with quirks, now and then the API's upper-case spelling instead of the agent's. */
export function writtenPatchState(
  state: PatchState,
  nodeKey: number,
  patchKey: number,
  quirks: boolean,
): string {
  if (!quirks) return state;
  if (state === 'Missing' && chance(nodeKey, patchKey, SALT.upperCase) < 0.04) return 'MISSING';
  if (state === 'InstalledPendingReboot' && chance(nodeKey, patchKey, SALT.upperCase) < 0.1) {
    return 'INSTALLED_PENDING_REBOOT';
  }
  return state;
}

/** With quirks, whether the node's PatchSummary writes its counts as JSON numbers rather than the agent's strings. */
export const countsAsNumbers = (nodeKey: number, quirks: boolean): boolean =>
  quirks && chance(nodeKey, SALT.numeric) < 0.05;

export function tallyFile(tally: QuirkTally, quirks: FileQuirks, text: string): void {
  if (text === '') {
    tally.emptyFiles++;
    return;
  }
  if (quirks.bom) tally.bom++;
  if (quirks.crlf) tally.crlf++;
  if (quirks.blankLines) tally.blankLines++;
  if (quirks.keyCase) tally.keyCaseVariants++;
}
