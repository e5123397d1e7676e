import { describe, expect, it } from 'vitest';
import { parseBucketKey } from './bucket-key.js';
import { parseConfigSnapshotKey } from './config-snapshot.js';

describe('parseBucketKey', () => {
  it('reads the layout, keeping the account id a string with its leading zero', () => {
    expect(
      parseBucketKey(
        'ssm-inventory/AWS:ComplianceItem/accountid=022222222222/region=eu-west-1/resourcetype=ManagedInstanceInventory/i-0abc1234def567890.json',
      ),
    ).toEqual({
      prefix: 'ssm-inventory',
      typeName: 'AWS:ComplianceItem',
      accountId: '022222222222',
      region: 'eu-west-1',
      resourceType: 'ManagedInstanceInventory',
      nodeId: 'i-0abc1234def567890',
    });
  });

  it('accepts keys without a prefix, hybrid node ids and custom types', () => {
    const key = parseBucketKey(
      'Custom:CIS/accountid=111122223333/region=us-gov-west-1/resourcetype=ManagedInstanceInventory/mi-0123456789abcdef0.json',
    );
    expect(key).toMatchObject({
      prefix: '',
      typeName: 'Custom:CIS',
      region: 'us-gov-west-1',
      nodeId: 'mi-0123456789abcdef0',
    });
  });

  it('accepts the EC2 instance list, whose resource type has a digit', () => {
    expect(
      parseBucketKey(
        'Custom:PatchboardEc2Instance/accountid=111122223333/region=eu-west-1/resourcetype=EC2Instance/i-0abc.json',
      ),
    ).toMatchObject({
      typeName: 'Custom:PatchboardEc2Instance',
      resourceType: 'EC2Instance',
      nodeId: 'i-0abc',
    });
  });

  it.each([
    'AWS:InstanceInformation/accountid=111122223333/test.json',
    'AWS:InstanceInformation/accountid=111122223333/region=us-east-1/resourcetype=ManagedInstanceInventory/test.json',
    'AWS:Tag/accountid=11112222333/region=us-east-1/resourcetype=ManagedInstanceInventory/i-0abc.json',
    'AWS:Tag/accountid=111122223333/region=US-EAST-1/resourcetype=ManagedInstanceInventory/i-0abc.json',
    'AWS:Tag/accountid=111122223333/region=us-east-1/i-0abc.json',
    'AWS:Tag/accountid=111122223333/region=us-east-1/resourcetype=ManagedInstanceInventory/i-0abc.json.gz',
    'notes/readme.txt',
    'Glue:Table/accountid=111122223333/region=us-east-1/resourcetype=ManagedInstanceInventory/i-0abc.json',
    'AWS:Tag/accountid=111122223333/region=us-east-1/resourcetype=2Instance/i-0abc.json',
  ])('skips %s', (key) => {
    expect(parseBucketKey(key)).toBeUndefined();
  });

  it('refuses node ids that start with a dot: `..` and hidden files are not nodes', () => {
    const base = 'AWS:Tag/accountid=111122223333/region=us-east-1/resourcetype=ManagedInstanceInventory/';
    expect(parseBucketKey(`${base}...json`)).toBeUndefined();
    expect(parseBucketKey(`${base}.hidden.json`)).toBeUndefined();
    expect(parseBucketKey(`${base}i-0abc1234def567890.json`)?.nodeId).toBe('i-0abc1234def567890');
  });
});

describe('parseConfigSnapshotKey', () => {
  const file =
    '111122223333_Config_eu-west-1_ConfigSnapshot_20261122T031500Z_0d5a7c2e-1b7f-4d1e-9a4c-5e2f7d1c3b9a';
  it('reads account, Region and delivery time of a Config snapshot, with or without a prefix', () => {
    expect(
      parseConfigSnapshotKey(
        `AWSLogs/111122223333/Config/eu-west-1/2026/11/22/ConfigSnapshot/${file}.json.gz`,
      ),
    ).toEqual({
      prefix: '',
      accountId: '111122223333',
      region: 'eu-west-1',
      deliveredAt: '20261122T031500Z',
    });
    expect(
      parseConfigSnapshotKey(
        `config/AWSLogs/111122223333/Config/eu-west-1/2026/1/2/ConfigSnapshot/${file}.json`,
      )?.prefix,
    ).toBe('config');
  });

  it.each([
    // Configuration history files, another account's file in this folder, another Region's, a crafted name.
    `AWSLogs/111122223333/Config/eu-west-1/2026/11/22/ConfigHistory/111122223333_Config_eu-west-1_ConfigHistory_AWS::EC2::Instance_20261122T031500Z_20261122T041500Z_1.json.gz`,
    `AWSLogs/111122223333/Config/eu-west-1/2026/11/22/ConfigSnapshot/${file.replace('111122223333', '999999999999')}.json.gz`,
    `AWSLogs/111122223333/Config/us-east-1/2026/11/22/ConfigSnapshot/${file}.json.gz`,
    `AWSLogs/111122223333/Config/eu-west-1/2026/11/22/ConfigSnapshot/../${file}.json.gz`,
  ])('skips %s', (key) => {
    expect(parseConfigSnapshotKey(key)).toBeUndefined();
  });
});
