import t from 'tap';
import { RE2JS } from 're2js';
import {
  Classifier,
  loadCatalogue,
  logqlEscape,
  lokiLineFilter,
  lokiUnion,
} from '../../../src/detectors/patterns/index.js';

const catalogue = loadCatalogue();

void t.test('the Loki union is one case-insensitive RE2 regex that matches every example', (t) => {
  const union = lokiUnion(catalogue);
  t.ok(union.startsWith('(?i)'));
  const re = RE2JS.compile(union);
  for (const e of catalogue.entries)
    for (const ex of e.examples) t.ok(re.matcher(ex).find(), `${e.id}: ${ex}`);
  for (const k of catalogue.checklist)
    for (const ex of k.examples) t.ok(re.matcher(ex).find(), `checklist ${k.id}: ${ex}`);
  t.notOk(re.matcher('GET /health 200 OK').find());
  t.notOk(
    RE2JS.compile(lokiUnion(catalogue, { checklist: false }))
      .matcher('  ✅ Health check: OK (HTTP 200)')
      .find(),
  );
  t.end();
});

void t.test('the line filter is the union escaped for a LogQL double-quoted string', (t) => {
  const filter = lokiLineFilter(catalogue);
  t.notMatch(filter, /(^|[^\\])"/, 'no bare double quote');
  t.equal(JSON.parse(`"${filter}"`), lokiUnion(catalogue), 'unquoting gives the union back');
  t.equal(logqlEscape('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
  const query = `{namespace="cto"} |~ "${filter}"`;
  t.ok(query.length > 100);
  t.end();
});

void t.test('lines the structural stage flags from their shape alone pass the Loki union', (t) => {
  const classifier = new Classifier(catalogue);
  const withStructure = RE2JS.compile(lokiUnion(catalogue));
  const catalogueOnly = RE2JS.compile(lokiUnion(catalogue, { structure: false }));
  // A real line of the detection corpus (tune/kube-apiserver.log) that no catalogue pattern takes.
  const lines = [
    'May 18 13:39:57 wwserver194.alphalocal.net kube-apiserver[18190]: E0518 13:39:57.882748   18190 controller.go:92] unable to sync kubernetes service: endpoints "kubernetes" cannot be updated: the resource',
  ];
  for (const line of lines) {
    const [f] = classifier.classifyChunk(line);
    t.match(f?.patternId, /^structure:/, `${line}: found by its shape`);
    t.notOk(catalogueOnly.matcher(line).find(), `${line}: no catalogue pattern passes it`);
    t.ok(
      withStructure.matcher(line).find(),
      `${line}: the union with the structural literals does`,
    );
  }
  t.end();
});
