import t from 'tap';
import { sum } from './smoke-helper.js';

void t.test('adds', (t) => {
  t.equal(sum(1, 2), 3);
  t.end();
});
