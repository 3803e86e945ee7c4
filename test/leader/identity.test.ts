import t from 'tap';
import { replicaIdentity } from '../../src/leader/identity.js';
import { holdSpec, isFree, readRecord, releaseSpec } from '../../src/leader/lease-record.js';

void t.test('a replica is named by POD_NAME, else HOSTNAME, else host name and pid', (t) => {
  t.equal(
    replicaIdentity({ POD_NAME: 'healer-7d9-abc', HOSTNAME: 'x' }, 'box', 1),
    'healer-7d9-abc',
  );
  t.equal(replicaIdentity({ HOSTNAME: 'healer-7d9-xyz' }, 'box', 1), 'healer-7d9-xyz');
  t.equal(replicaIdentity({ POD_NAME: ' ', HOSTNAME: '' }, 'box', 42), 'box-42');
  t.not(
    replicaIdentity({}, 'box', 1),
    replicaIdentity({}, 'box', 2),
    'two processes on one machine differ',
  );
  t.end();
});

void t.test('lease records: free, held, renewed, released', (t) => {
  const at = new Date('2026-11-21T10:00:00.250Z');
  const created = holdSpec(undefined, 'a', 15, at);
  t.equal(
    JSON.stringify(created.renewTime),
    '"2026-11-21T10:00:00.250000Z"',
    'MicroTime on the wire',
  );
  t.equal(created.leaseTransitions, 0);
  const rec = readRecord({ spec: JSON.parse(JSON.stringify(created)) });
  t.same(rec, {
    holder: 'a',
    acquireTime: '2026-11-21T10:00:00.250Z',
    renewTime: '2026-11-21T10:00:00.250Z',
    leaseDurationSeconds: 15,
    transitions: 0,
  });
  t.ok(isFree(rec, 'a', 0, 1), 'its holder may renew');
  t.notOk(isFree(rec, 'b', 1000, 15_999), 'others wait a whole duration since they saw it change');
  t.ok(isFree(rec, 'b', 1000, 16_000));

  const later = new Date('2026-11-21T10:00:05Z');
  const renewed = readRecord({ spec: JSON.parse(JSON.stringify(holdSpec(rec, 'a', 15, later))) });
  t.equal(renewed.acquireTime, rec.acquireTime, 'a renewal keeps acquireTime');
  t.equal(renewed.transitions, 0);
  const taken = readRecord({ spec: JSON.parse(JSON.stringify(holdSpec(rec, 'b', 15, later))) });
  t.equal(taken.acquireTime, later.toISOString(), 'a take-over starts a new acquireTime');
  t.equal(taken.transitions, 1, 'and counts a transition');

  const released = readRecord({ spec: JSON.parse(JSON.stringify(releaseSpec(taken, later))) });
  t.equal(released.holder, null);
  t.equal(released.transitions, 1);
  t.ok(isFree(released, 'c', 1e9, 1e9), 'a released lease is free at once');
  t.same(readRecord({}), {
    holder: null,
    acquireTime: null,
    renewTime: null,
    leaseDurationSeconds: 0,
    transitions: 0,
  });
  t.end();
});
