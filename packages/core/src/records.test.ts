import { describe, expect, it } from 'vitest';
import { parseBucketKey } from './bucket-key.js';
import { inventoryType, tableColumns } from './inventory-types.js';
import { parseInventoryObject } from './records.js';

const key = parseBucketKey(
  'AWS:PatchSummary/accountid=022222222222/region=us-east-1/resourcetype=ManagedInstanceInventory/i-0123456789abcdef0.json',
)!;
const type = inventoryType('AWS:PatchSummary')!;
const names = tableColumns(type).map((c) => c.name);
const bytes = (text: string) => new TextEncoder().encode(text);
const asObject = (row: (string | number | null)[]) => Object.fromEntries(names.map((n, i) => [n, row[i]]));

describe('parseInventoryObject', () => {
  it('takes counts written as strings or numbers and instants with their zone', () => {
    const parsed = parseInventoryObject(
      bytes(
        '{"MissingCount":"3","FailedCount":1,"InstalledCount":"","OperationEndTime":"2026-10-30T02:03:11Z","resourceId":"i-0123456789abcdef0"}\n',
      ),
      key,
      type,
    );
    expect(parsed.errors).toEqual([]);
    expect(asObject(parsed.rows[0]!)).toMatchObject({
      accountid: '022222222222',
      region: 'us-east-1',
      resourcetype: 'ManagedInstanceInventory',
      resourceid: 'i-0123456789abcdef0',
      missingcount: 3,
      failedcount: 1,
      installedcount: null,
      operationendtime: Date.UTC(2026, 9, 30, 2, 3, 11),
    });
  });

  it('keeps the record and empties a field of the wrong type, saying which', () => {
    const parsed = parseInventoryObject(
      bytes('{"MissingCount":"many","BaselineId":{"nested":[1]}}'),
      key,
      type,
    );
    expect(parsed.rows).toHaveLength(1);
    expect(parsed.errors.map((e) => [e.line, e.reason])).toEqual([
      [1, 'field MissingCount: expected a whole number, got "many"; stored as empty'],
      [1, 'field BaselineId: expected a single value, got an object or list; stored as empty'],
    ]);
  });

  it('reports lines that are not UTF-8 and keeps the others', () => {
    const good = bytes('{"MissingCount":"1"}\n');
    const bad = new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d, 0x0a]);
    const parsed = parseInventoryObject(new Uint8Array([...good, ...bad, ...good]), key, type);
    expect(parsed.rows).toHaveLength(2);
    expect(parsed.errors).toMatchObject([{ line: 2, reason: 'the line is not valid UTF-8; skipped' }]);
  });

  it('reads a pretty-printed single object and a JSON array', () => {
    expect(parseInventoryObject(bytes('{\n  "MissingCount": "2"\n}\n'), key, type).rows).toHaveLength(1);
    expect(
      parseInventoryObject(bytes('[{"MissingCount":"2"},{"MissingCount":"3"}]'), key, type).rows,
    ).toHaveLength(2);
  });

  it('rejects a line that is JSON but not an object', () => {
    const parsed = parseInventoryObject(bytes('{"MissingCount":"1"}\n[1,2]\n"text"\n'), key, type);
    expect(parsed.rows).toHaveLength(1);
    expect(parsed.errors.map((e) => e.line)).toEqual([2, 3]);
  });
});
