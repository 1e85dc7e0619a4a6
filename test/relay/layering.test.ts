/**
 * The relay library stands on its own: it imports the core, src/node and
 * Node, never the CLI, and its entry does not carry the command.
 */
import {expect} from 'chai';
import {readdirSync, readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import * as relay from '../../src/relay/index.js';

const dir = fileURLToPath(new URL('../../src/relay/', import.meta.url));

/** Every module specifier in a TypeScript file: static imports, re-exports and dynamic imports. */
function specifiers(source: string): string[] {
  return [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

describe('relay library layering', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

  it('finds the relay sources and reads their imports', () => {
    expect(files).to.include.members(['index.ts', 'relay.ts', 'pairing.ts']);
    expect(specifiers(readFileSync(`${dir}relay.ts`, 'utf8'))).to.include.members(['ws', 'node:http', './pairing.js']);
  });

  for (const file of files) {
    it(`${file} imports only the core, src/node, its siblings, ws, prom-client and node: modules`, () => {
      const imports = specifiers(readFileSync(`${dir}${file}`, 'utf8'));
      for (const spec of imports) {
        // ioredis: cluster mode's Redis client, in the one module that talks to Redis.
        // ../node/: what Node-only code shares with the stacks on Node (turn-writes.ts).
        const allowed = spec.startsWith('./') || spec.startsWith('../core/') || spec.startsWith('../node/') || spec.startsWith('node:') || spec === 'ws' || spec === 'prom-client' || (spec === 'ioredis' && file === 'redis-pairing.ts');
        expect(allowed, `${file} imports "${spec}"`).to.equal(true);
      }
    });
  }

  it('does not export the CLI command from the library entry', () => {
    expect(Object.keys(relay)).to.not.include('runRelay');
    expect(Object.keys(relay)).to.not.include('RELAY_HELP');
    expect(Object.keys(relay)).to.include('startRelay');
  });
});
