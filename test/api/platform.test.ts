/**
 * The core's platform rule (`npm test` type-checks src/core with
 * tsconfig.core.json): this checks that the rule itself holds, i.e. that the
 * configuration has no DOM and no Node types, so code reaching for them fails.
 */
import {expect} from 'chai';
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../..', import.meta.url));

function coreConfig(): ts.ParsedCommandLine {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.core.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (parsed === undefined) throw new Error('tsconfig.core.json could not be read');
  return parsed;
}

/** Type-checks `source` as if it were a core module; returns the messages. */
function checkAsCore(source: string): string[] {
  const config = coreConfig();
  const dir = join(root, '.tmp/platform-probe');
  mkdirSync(dir, {recursive: true});
  const probe = join(dir, 'probe.ts');
  writeFileSync(probe, source);
  const platform = join(root, 'src/core/platform.d.ts');
  const program = ts.createProgram([platform, probe], config.options);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
}

describe('the core platform rule (tsconfig.core.json)', function () {
  this.timeout(60_000);

  it('covers src/core with ES2022, no ambient types, and the declared web-platform globals', () => {
    const config = coreConfig();
    expect(config.options.lib).to.deep.equal(['lib.es2022.d.ts']);
    expect(config.options.types).to.deep.equal([]);
    const files = config.fileNames.map((f) => f.slice(root.length));
    expect(files).to.include.members(['src/core/platform.d.ts', 'src/core/index.ts', 'src/core/stack/index.ts']);
    expect(files.filter((f) => !f.startsWith('src/core/'))).to.deep.equal([]);
  });

  it('accepts the globals platform.d.ts declares', () => {
    const ok = `
      export const bytes = crypto.getRandomValues(new Uint8Array(4));
      export const text = new TextDecoder('utf-8', {fatal: true}).decode(new TextEncoder().encode('x'));
      const target = new EventTarget();
      target.addEventListener('x', (e) => void (e as CustomEvent<number>).detail);
      target.dispatchEvent(new CustomEvent('x', {detail: 1}));
      clearTimeout(setTimeout(() => queueMicrotask(() => undefined), 1));
      clearInterval(setInterval(() => undefined, 1));
      export const now = performance?.now() ?? Date.now();
    `;
    expect(checkAsCore(ok)).to.deep.equal([]);
  });

  it('rejects the DOM, Node globals and Node modules, static or dynamic', () => {
    const messages = checkAsCore(`
      export const a = document.title;
      export const b = window.location;
      export const c = Buffer.from('x');
      export const d = process.env;
      export const e = new WebSocket('ws://127.0.0.1:1');
      export const f = localStorage;
      export const g = () => import('node:fs');
      import {createHash} from 'node:crypto';
      export const h = createHash;
    `);
    for (const name of ['document', 'window', 'Buffer', 'process', 'WebSocket', 'localStorage', 'node:fs', 'node:crypto']) {
      expect(messages.some((m) => m.includes(`'${name}'`)), `${name} in ${messages.join('\n')}`).to.equal(true);
    }
  });
});
