/** Cluster mode costs a single relay nothing: ioredis is loaded only when a relay is given `redis`. */
import {expect} from 'chai';
import {readdirSync, readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

const dir = fileURLToPath(new URL('../../src/relay/', import.meta.url));

describe('relay cluster layering', () => {
  it('reaches the Redis backend only through a dynamic import in cluster.ts (type imports aside)', () => {
    const importers = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((file) => {
        const source = readFileSync(`${dir}${file}`, 'utf8');
        const runtime = [...source.matchAll(/^(?!import type|export type).*['"]\.\/redis-pairing\.js['"]/gm)].map((m) => m[0].trim());
        return runtime.map((line) => `${file}: ${line}`);
      });
    expect(importers).to.have.length(1);
    expect(importers[0]).to.match(/^cluster\.ts: .*= await import\('\.\/redis-pairing\.js'/);
  });
});
