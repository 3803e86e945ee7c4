import t from 'tap';
import {
  expectedToolsFor,
  missingExpectedTools,
  parseToolInventory,
} from '../../../src/detectors/patterns/index.js';
import type { AgentConfig } from '../../../src/domain/session.js';

// The caller's payload from api.md.
const bolt: AgentConfig = {
  githubApp: '5DLabs-Bolt',
  cli: 'claude',
  model: 'claude-sonnet-4-5-20250514',
  tools: {
    remote: ['kubernetes_listResources', 'argocd_list_applications'],
    localServers: {
      filesystem: { enabled: true, tools: ['read_file', 'write_file'] },
      git: { enabled: false, tools: ['git_log'] },
    },
  },
};

void t.test('expected tools: remote plus the tools of enabled local servers', (t) => {
  t.same(expectedToolsFor(bolt), [
    'kubernetes_listResources',
    'argocd_list_applications',
    'read_file',
    'write_file',
  ]);
  t.end();
});

void t.test('the forms tool inventory lines take', (t) => {
  t.same(parseToolInventory('tool inventory mismatch - declared tools: [a, b] - missing: [c]'), {
    declared: ['a', 'b'],
    available: null,
    missing: ['c'],
  });
  t.same(
    parseToolInventory('Tool inventory MISMATCH: declared=[k,argo] available=[k] missing=[argo]'),
    {
      declared: ['k', 'argo'],
      available: ['k'],
      missing: ['argo'],
    },
  );
  t.same(
    parseToolInventory(
      'Declared tools: 5, missing: 2 (context7_resolve_library_id, firecrawl_scrape)',
    )?.missing,
    ['context7_resolve_library_id', 'firecrawl_scrape'],
  );
  t.same(
    parseToolInventory("Tool inventory mismatch: unexpected=['x'], missing=['write_file']")
      ?.missing,
    ['write_file'],
  );
  t.same(parseToolInventory('tools missing from CLI: firecrawl_scrape, read_file')?.missing, [
    'firecrawl_scrape',
    'read_file',
  ]);
  t.same(parseToolInventory('unresolved tools: [argocd_list_applications]')?.missing, [
    'argocd_list_applications',
  ]);
  t.same(parseToolInventory('declared tools: 5, missing: 0')?.missing, []);
  t.same(
    parseToolInventory(
      '{"type":"system","subtype":"init","tools":["Bash","mcp__tools__read_file"]}',
    ),
    {
      declared: null,
      available: ['Bash', 'mcp__tools__read_file'],
      missing: null,
    },
  );
  t.equal(parseToolInventory('Error: connect ECONNREFUSED 127.0.0.1:3000'), null);
  t.equal(parseToolInventory('{"type":"assistant"}'), null);
  t.equal(parseToolInventory('{not json'), null);
  t.end();
});

void t.test('the session’s expected tools that the line shows missing', (t) => {
  const expected = expectedToolsFor(bolt);
  t.same(
    missingExpectedTools(
      parseToolInventory(
        'tool inventory mismatch - declared tools: [x] - missing: [write_file, other]',
      )!,
      expected,
    ),
    ['write_file'],
  );
  const init = parseToolInventory(
    '{"type":"system","subtype":"init","tools":["Bash","mcp__tools__kubernetes_listResources","mcp__tools__read_file"]}',
  )!;
  t.same(
    missingExpectedTools(init, expected),
    ['argocd_list_applications', 'write_file'],
    'absent from what is available',
  );
  t.same(missingExpectedTools(parseToolInventory('declared tools: 5, missing: 0')!, expected), []);
  t.same(
    missingExpectedTools({ declared: null, available: ['mcp_tools_cto_play'], missing: null }, [
      'mcp_tools_cto_*',
    ]),
    [],
  );
  t.same(
    missingExpectedTools({ declared: null, available: ['read-file'], missing: null }, [
      'read_file',
      'read_file',
    ]),
    [],
  );
  t.end();
});
