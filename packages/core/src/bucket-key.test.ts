import { describe, expect, it } from 'vitest';
import { parseBucketKey } from './bucket-key.js';

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

  it.each([
    'AWS:InstanceInformation/accountid=111122223333/test.json',
    'AWS:InstanceInformation/accountid=111122223333/region=us-east-1/resourcetype=ManagedInstanceInventory/test.json',
    'AWS:Tag/accountid=11112222333/region=us-east-1/resourcetype=ManagedInstanceInventory/i-0abc.json',
    'AWS:Tag/accountid=111122223333/region=US-EAST-1/resourcetype=ManagedInstanceInventory/i-0abc.json',
    'AWS:Tag/accountid=111122223333/region=us-east-1/i-0abc.json',
    'AWS:Tag/accountid=111122223333/region=us-east-1/resourcetype=ManagedInstanceInventory/i-0abc.json.gz',
    'notes/readme.txt',
    'Glue:Table/accountid=111122223333/region=us-east-1/resourcetype=ManagedInstanceInventory/i-0abc.json',
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
