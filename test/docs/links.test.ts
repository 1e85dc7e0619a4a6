/** Links in the project's documents resolve inside the repository (what a reader of the package can open). */
import {expect} from 'chai';
import {existsSync, readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const DOCUMENTS = ['README.md', 'SECURITY.md', 'demo/README.md'];

/** Markdown link targets `[text](target)`, without anchors; web links and pure anchors left out. */
function localTargets(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!.split('#')[0]!)
    .filter((target) => target !== '' && !/^[a-z]+:/i.test(target));
}

describe('documentation links', () => {
  for (const document of DOCUMENTS) {
    it(`${document} links only to files in the repository`, () => {
      const text = readFileSync(join(root, document), 'utf8');
      const missing = localTargets(text).filter((target) => !existsSync(join(root, dirname(document), target)));
      expect(missing).to.deep.equal([]);
      expect(text).not.to.match(/\.\.\/shared\//);
    });
  }

  it('ships the protocol description and the licence the README points to', () => {
    expect(readFileSync(join(root, 'docs/PROTOCOL.md'), 'utf8')).to.match(/^# Moneysocket wire protocol, version 0/);
    const licence = readFileSync(join(root, 'LICENSE'), 'utf8');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {license: string; files: string[]};
    expect(licence).to.match(new RegExp(`^${pkg.license} License`));
    expect(pkg.files).to.include('docs');
  });
});
