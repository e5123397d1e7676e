/**
 * Properties of the two parsers every byte from the bucket goes through, over inputs fast-check generates:
 * they never throw, they keep every valid record whatever garbage surrounds it, and each piece of garbage is
 * reported once with its line number.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBucketKey } from './bucket-key.js';
import { configSnapshotInstances, parseConfigSnapshotKey } from './config-snapshot.js';
import { inventoryType, tableColumns } from './inventory-types.js';
import { parseInventoryObject } from './records.js';

/** 300 inputs per property in `npm test`; `npm run reliability` asks for more. */
const RUNS = { numRuns: Number(process.env.PATCHBOARD_PROPERTY_RUNS ?? 300) };
const NODE = 'i-0123456789abcdef0';
const key = parseBucketKey(
  `AWS:Tag/accountid=022222222222/region=us-east-1/resourcetype=ManagedInstanceInventory/${NODE}.json`,
)!;
const tagType = inventoryType('AWS:Tag')!;
const columns = tableColumns(tagType).map((c) => c.name);
const encode = (text: string) => new TextEncoder().encode(text);

const chars = (alphabet: string, min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength: min, maxLength: max });
const lower = 'abcdefghijklmnopqrstuvwxyz';
const keyParts = fc.record({
  prefix: fc.option(chars(`${lower}0123456789-_`, 1, 12), { nil: '' }),
  type: fc
    .tuple(fc.constantFrom('AWS', 'Custom'), chars(`${lower}ABCXYZ`, 1, 20))
    .map(([n, t]) => `${n}:${t}`),
  accountId: chars('0123456789', 12, 12),
  region: fc
    .tuple(
      chars(lower, 2, 2),
      fc.array(chars(lower, 1, 9), { minLength: 1, maxLength: 2 }),
      fc.integer({ min: 1, max: 9 }),
    )
    .map(([area, words, n]) => `${area}-${words.join('-')}-${n}`),
  resourceType: chars(`${lower}ABCMIZ`, 1, 30),
  nodeId: fc
    .constantFrom('i-', 'mi-')
    .chain((start) => chars('0123456789abcdef', 8, 17).map((hex) => `${start}${hex}`)),
});

describe('parseBucketKey', () => {
  it('reads back every part of any key in the layout', ({ task }) => {
    task.meta.figures = { area: 'property-based: parsers', cases: RUNS.numRuns };
    fc.assert(
      fc.property(keyParts, (parts) => {
        const path = `${parts.prefix ? `${parts.prefix}/` : ''}${parts.type}/accountid=${parts.accountId}/region=${parts.region}/resourcetype=${parts.resourceType}/${parts.nodeId}.json`;
        expect(parseBucketKey(path)).toEqual({
          prefix: parts.prefix,
          typeName: parts.type,
          accountId: parts.accountId,
          region: parts.region,
          resourceType: parts.resourceType,
          nodeId: parts.nodeId,
        });
      }),
      RUNS,
    );
  });

  it('never throws on any string, and what it accepts always has a 12-digit account and a plain node id', ({
    task,
  }) => {
    task.meta.figures = { area: 'property-based: parsers', cases: RUNS.numRuns };
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 })),
        (text) => {
          const parsed = parseBucketKey(text);
          if (parsed === undefined) return;
          expect(parsed.accountId).toMatch(/^\d{12}$/);
          expect(parsed.nodeId).toMatch(/^[A-Za-z0-9_.-]+$/);
          expect(parsed.nodeId).not.toContain('/');
        },
      ),
      RUNS,
    );
  });
});

/** A valid tag record for the file's node. */
const tagRecord = fc.record({
  Key: fc.string({ maxLength: 40 }),
  Value: fc.string({ maxLength: 80 }),
  resourceId: fc.constant(NODE),
  captureTime: fc.constant('2026-10-30T02:03:11Z'),
});
/** A line that is not a JSON value at all (no newline in it, so it stays one line). */
const garbage = fc
  .string({ maxLength: 60 })
  .map((s) => `{"Key": ${s.replace(/[\r\n\u2028\u2029]/g, ' ')}`)
  .filter((line) => {
    try {
      JSON.parse(line);
      return false;
    } catch {
      return true;
    }
  });

describe('parseInventoryObject', () => {
  it('keeps every valid record among garbage lines and reports each garbage line once, by number', ({
    task,
  }) => {
    task.meta.figures = { area: 'property-based: parsers', cases: RUNS.numRuns };
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            tagRecord.map((r) => ({ r })),
            garbage.map((g) => ({ g })),
          ),
          { minLength: 1, maxLength: 40 },
        ),
        fc.constantFrom('\n', '\r\n'),
        (lines, newline) => {
          // A file whose first line is garbage could read as a whole document; start with a record.
          const all = [
            { r: { Key: 'Name', Value: 'first', resourceId: NODE, captureTime: '2026-10-30T02:03:11Z' } },
            ...lines,
          ];
          const text = all.map((l) => ('r' in l ? JSON.stringify(l.r) : l.g)).join(newline);
          const parsed = parseInventoryObject(encode(text), key, tagType);
          const records = all.flatMap((l) => ('r' in l ? [l.r] : []));
          expect(
            parsed.rows.map((row) => [row[columns.indexOf('key')], row[columns.indexOf('value')]]),
          ).toEqual(records.map((r) => [r.Key, r.Value]));
          expect(parsed.errors.map((e) => e.line)).toEqual(all.flatMap((l, i) => ('g' in l ? [i + 1] : [])));
        },
      ),
      RUNS,
    );
  });

  it('never throws on any bytes, and every error names a line inside the file or the whole object', ({
    task,
  }) => {
    task.meta.figures = { area: 'property-based: parsers', cases: RUNS.numRuns };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const parsed = parseInventoryObject(bytes, key, tagType);
        const lineCount = new TextDecoder().decode(bytes).split('\n').length;
        for (const error of parsed.errors) {
          if (error.line !== null) expect(error.line).toBeGreaterThanOrEqual(1);
          if (error.line !== null) expect(error.line).toBeLessThanOrEqual(lineCount);
          expect(error.excerpt.length).toBeLessThanOrEqual(161);
        }
        for (const row of parsed.rows) expect(row[columns.indexOf('resourceid')]).toBe(NODE);
      }),
      RUNS,
    );
  });
});

describe('AWS Config snapshots', () => {
  const snapshotKey = parseConfigSnapshotKey(
    'AWSLogs/022222222222/Config/us-east-1/2026/11/22/ConfigSnapshot/022222222222_Config_us-east-1_ConfigSnapshot_20261122T031500Z_abc-123.json.gz',
  )!;
  const instance = fc.record({
    resourceType: fc.constantFrom('AWS::EC2::Instance', 'AWS::Config::ResourceCompliance', 'AWS::S3::Bucket'),
    resourceId: fc.oneof(
      chars('0123456789abcdef', 8, 17).map((h) => `i-${h}`),
      fc.string(),
    ),
    awsAccountId: fc.constantFrom('022222222222', '999999999999', 12, null),
    awsRegion: fc.constantFrom('us-east-1', 'eu-west-1'),
    configurationItemCaptureTime: fc.constantFrom('2026-11-20T08:00:00.000Z', 'yesterday', ''),
    tags: fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.constant(null), fc.string()),
    configuration: fc.anything(),
  });

  it('key parser: never throws, and what it accepts has a 12-digit account and a delivery time', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const parsed = parseConfigSnapshotKey(text);
        if (parsed) {
          expect(parsed.accountId).toMatch(/^\d{12}$/);
          expect(parsed.deliveredAt).toMatch(/^\d{8}T\d{6}Z$/);
        }
      }),
      RUNS,
    );
  });

  it('never drops an EC2 item silently: each is kept (a unique instance id) or reported', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(instance, fc.anything()), { maxLength: 30 }), (items) => {
        const { instances, errors } = configSnapshotInstances(
          JSON.stringify({ configurationItems: items }),
          snapshotKey,
        );
        const ids = instances.map((i) => i.instanceId);
        expect(new Set(ids).size).toBe(ids.length);
        for (const id of ids) expect(id).toMatch(/^i-[0-9a-f]{8,32}$/);
        const wellFormed = items.filter(
          (item) =>
            typeof item === 'object' &&
            item !== null &&
            (item as { resourceType?: unknown }).resourceType === 'AWS::EC2::Instance',
        );
        // Every EC2 item is either kept or reported, never silently dropped.
        expect(instances.length + errors.length).toBeGreaterThanOrEqual(wellFormed.length);
      }),
      RUNS,
    );
  });

  it('never throws on any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (text) => {
        const { errors, isSnapshot } = configSnapshotInstances(text, snapshotKey);
        if (!isSnapshot) expect(errors).toHaveLength(1);
      }),
      RUNS,
    );
  });
});
