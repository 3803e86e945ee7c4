import t from 'tap';
import { requiredLiterals } from '../../../src/detectors/patterns/literals.js';
import { LiteralScanner } from '../../../src/detectors/patterns/prefilter.js';

void t.test('required literals of common pattern shapes', (t) => {
  t.same(requiredLiterals('connection refused'), ['connection refused']);
  t.same(requiredLiterals('time-?out')?.sort(), ['time-out', 'timeout']);
  t.same(requiredLiterals('\\bE(?:SOCKET)?TIMEDOUT\\b')!.sort(), ['esockettimedout', 'etimedout']);
  t.same(requiredLiterals('^\\s*panic: \\S'), ['panic: ']);
  t.same(requiredLiterals('role.*undefined'), ['undefined']);
  t.same(requiredLiterals('a|b'), ['a', 'b']);
  t.equal(requiredLiterals('\\d+'), null, 'no literal at all');
  t.equal(requiredLiterals('x*|abc'), null, 'a branch that can match anything');
  t.equal(requiredLiterals('(?<=a)b'), null, 'unknown syntax is opaque');
  t.end();
});

void t.test('the scanner finds every occurrence, case-insensitively, with its start', (t) => {
  const s = new LiteralScanner(['refused', 'timeout', 'out of memory', 'mem']);
  const hits: [number, number][] = [];
  s.scan('Conn REFUSED; TimeOut: out of memory', (l, p) => hits.push([l, p]));
  t.same(hits, [
    [0, 5],
    [1, 14],
    [3, 30],
    [2, 23],
  ]);
  t.throws(() => new LiteralScanner(['ab']));
  t.throws(() => new LiteralScanner(['naïve']));
  t.end();
});
