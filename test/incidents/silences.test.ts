import t from 'tap';
import type { Silence } from '../../src/domain/action.js';
import type { AlertDraft } from '../../src/domain/alert.js';
import {
  SILENCE_MAX_DAYS,
  describeMatchers,
  isActive,
  matchSilence,
  silenceBodySchema,
  silenceFromBody,
} from '../../src/incidents/silences.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const iso = (min: number) => new Date(NOW.getTime() + min * 60_000).toISOString();

const draft = (over: Partial<AlertDraft> = {}): AlertDraft => ({
  alert: 'A7',
  severity: 'high',
  issueType: 'agent_failure',
  title: 'Pod Failure: play-task-4-rex-abc',
  description: 'd',
  namespace: 'cto',
  playId: 'play-task-4',
  taskId: '4',
  agent: 'rex',
  subject: 'play-task-4',
  evidence: [],
  context: {},
  detectedAt: NOW.toISOString(),
  ...over,
});

const silence = (matchers: Silence['matchers'], over: Partial<Silence> = {}): Silence => ({
  id: 'sil-1',
  matchers,
  startsAt: iso(-10),
  endsAt: iso(60),
  comment: 'c',
  createdBy: 'ops',
  expiredAt: null,
  ...over,
});

void t.test('matchSilence: every given matcher must equal', (t) => {
  const cases: [string, Silence['matchers'], Partial<AlertDraft>, boolean][] = [
    ['alert', { alert: 'A7' }, {}, true],
    ['alert in another case', { alert: 'a7' }, {}, true],
    ['other alert', { alert: 'A2' }, {}, false],
    ['play', { play_id: 'play-task-4' }, {}, true],
    ['other play', { play_id: 'play-task-5' }, {}, false],
    ['platform matches incidents without a Play', { play_id: 'platform' }, { playId: null }, true],
    [
      'a play matcher never matches a platform incident',
      { play_id: 'play-task-4' },
      { playId: null },
      false,
    ],
    ['agent by GitHub App name', { agent: '5DLabs-Rex' }, {}, true],
    [
      'agent bot login against a capitalised draft',
      { agent: '5dlabs-rex[bot]' },
      { agent: 'Rex' },
      true,
    ],
    ['agent matcher, draft without agent', { agent: 'rex' }, { agent: null }, false],
    ['namespace', { namespace: 'cto' }, {}, true],
    ['all four', { alert: 'A7', play_id: 'play-task-4', agent: 'rex', namespace: 'cto' }, {}, true],
    [
      'all four, one differs',
      { alert: 'A7', play_id: 'play-task-4', agent: 'blaze', namespace: 'cto' },
      {},
      false,
    ],
    ['no matchers match nothing', {}, {}, false],
  ];
  for (const [name, m, d, want] of cases) {
    t.equal(matchSilence([silence(m)], draft(d), NOW) !== undefined, want, name);
  }
  t.end();
});

void t.test('the active window: started, not ended, not expired', (t) => {
  const m = { alert: 'A7' };
  t.ok(isActive(silence(m, { startsAt: NOW.toISOString() }), NOW), 'starts now: active');
  t.notOk(isActive(silence(m, { startsAt: iso(1) }), NOW), 'starts later');
  t.notOk(isActive(silence(m, { endsAt: NOW.toISOString() }), NOW), 'ends now: over');
  t.ok(isActive(silence(m, { endsAt: iso(0.001) }), NOW), 'ends just after');
  t.notOk(isActive(silence(m, { expiredAt: iso(-1) }), NOW), 'expired by hand');
  t.ok(isActive(silence(m, { expiredAt: iso(5) }), NOW), 'expiry scheduled later');
  t.end();
});

void t.test('with several matches, the one lasting longest is named', (t) => {
  const s = [
    silence({ alert: 'A7' }, { id: 'short', endsAt: iso(5) }),
    silence({ agent: 'rex' }, { id: 'long', endsAt: iso(500) }),
    silence({ namespace: 'cto' }, { id: 'b-tie', endsAt: iso(500) }),
    silence({ alert: 'A2' }, { id: 'other', endsAt: iso(900) }),
  ];
  t.equal(matchSilence(s, draft(), NOW)?.id, 'b-tie');
  t.equal(matchSilence([], draft(), NOW), undefined);
  t.equal(describeMatchers({ namespace: 'cto', alert: 'A7' }), 'alert=A7 namespace=cto');
  t.end();
});

void t.test('POST /api/v1/silences body', (t) => {
  const schema = silenceBodySchema(() => NOW);
  const body = (over: Record<string, unknown> = {}) => ({
    matchers: { alert: 'a7', play_id: 'play-task-4' },
    ends_at: iso(120),
    comment: '  node pool upgrade  ',
    created_by: 'jonathon',
    ...over,
  });
  const issues = (b: unknown) => {
    const r = schema.safeParse(b);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  const ok = schema.parse(body({ extra: 'ignored' }));
  t.same(ok.matchers, { alert: 'A7', play_id: 'play-task-4' }, 'alert id normalised');
  t.equal(ok.comment, 'node pool upgrade', 'trimmed');
  t.notOk('extra' in ok, 'unknown top-level keys dropped');

  t.match(issues(body({ matchers: {} })), [/at least one matcher/]);
  t.match(issues(body({ matchers: { playId: 'x' } })), [/matchers: Unrecognized key/]);
  t.match(issues(body({ matchers: { alert: 'A6' } })), [/matchers\.alert: must be one of A1/]);
  t.match(issues(body({ matchers: { namespace: 'Not_A_Label' } })), [/DNS-1123/]);
  t.match(issues(body({ matchers: { play_id: 'play\n1' } })), [/play id/]);
  // issue #13: any play id the MCP server sends (no control characters) is a play id
  t.same(issues(body({ matchers: { play_id: 'Play 1' } })), [], 'an upstream-style play id');
  t.match(issues(body({ ends_at: iso(-1) })), ['ends_at: must be in the future']);
  t.match(issues(body({ ends_at: NOW.toISOString() })), ['ends_at: must be in the future']);
  t.same(issues(body({ ends_at: iso(SILENCE_MAX_DAYS * 1440) })), [], 'exactly 30 days: accepted');
  t.match(issues(body({ ends_at: iso(SILENCE_MAX_DAYS * 1440 + 1) })), [/at most 30 days/]);
  t.same(
    issues(body({ ends_at: '2026-03-01T15:00:00+02:00' })),
    [],
    'an offset is accepted (13:00Z is an hour away)',
  );
  t.match(issues(body({ ends_at: 'tomorrow' })), [/RFC 3339/]);
  t.match(issues(body({ comment: '   ' })), [/comment: must not be empty/]);
  t.match(issues(body({ comment: 'x'.repeat(1001) })), [/comment: must be at most 1000/]);
  t.match(issues(body({ created_by: undefined })), [/created_by/]);
  t.match(issues(body({ created_by: 'x'.repeat(129) })), [/at most 128/]);

  const stored = silenceFromBody(
    schema.parse(body({ ends_at: '2026-03-01T16:00:00+02:00' })),
    'sil-9',
    NOW,
  );
  t.same(stored, {
    id: 'sil-9',
    matchers: { alert: 'A7', play_id: 'play-task-4' },
    startsAt: NOW.toISOString(),
    endsAt: '2026-03-01T14:00:00.000Z',
    comment: 'node pool upgrade',
    createdBy: 'jonathon',
    expiredAt: null,
  });
  t.ok(matchSilence([stored], draft(), NOW), 'the stored silence matches what it was made for');
  t.end();
});
