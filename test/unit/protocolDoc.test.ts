import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderProtocolReference } from '../../tools/protocolReference';

it('docs/protocol.md matches the schemas (run `npm run docs` after changing them)', () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'protocol.md'), 'utf8');
  expect(doc).toBe(renderProtocolReference());
});
