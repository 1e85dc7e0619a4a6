import {expect} from 'chai';
import {sha256} from '@noble/hashes/sha2.js';
import {toHex, utf8Encode} from '../../src/core/bytes.js';
import {loadVectors} from '../vectors.js';

/**
 * test/vectors/ is a copy of ../shared/protocol/vectors/. SHA256SUMS was
 * made from the shared copy (`sha256sum *.json`); this keeps the copy
 * byte-identical and every file whole.
 */
async function fileText(name: string): Promise<string> {
  const url = new URL(`../vectors/${name}`, import.meta.url);
  if (url.protocol === 'file:') {
    const fsModule = 'node:fs/promises';
    const fs = (await import(/* @vite-ignore */ fsModule)) as {readFile(u: URL, enc: string): Promise<string>};
    return fs.readFile(url, 'utf8');
  }
  return (await fetch(url)).text();
}

const sums = (await fileText('SHA256SUMS'))
  .trim()
  .split('\n')
  .map((line) => line.split(/\s+/) as [string, string]);

describe('protocol vectors', () => {
  it('are all thirteen files of the shared set', () => {
    expect(sums.map(([, name]) => name)).to.have.length(13);
  });

  for (const [digest, name] of sums) {
    it(`${name} is byte-identical to the shared copy, and whole`, async () => {
      const text = await fileText(name);
      expect(toHex(sha256(utf8Encode(text)))).to.equal(digest);
      const file = await loadVectors<unknown>(name);
      expect(file.protocol_version).to.equal('0.0.0');
      expect(file.vectors).to.have.length(file.count);
    });
  }
});
