/** `npm test` stops at once, with the exact command to run, when a system program the tests need is missing. */
import {expect} from 'chai';
import {spawnSync} from 'node:child_process';

describe('npm test without a system program it needs', () => {
  it('names the program and the command that installs it, and fails before running anything', () => {
    const run = spawnSync(process.execPath, ['scripts/test.mjs'], {
      env: {...process.env, CHROME_PATH: '/nonexistent/chromium'},
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).to.equal(1);
    expect(run.stderr).to.include('Chromium: the browser tests run in headless Chromium');
    expect(run.stderr).to.include('sudo apt-get update && sudo apt-get install -y chromium');
    expect(run.stdout.trim().split('\n').at(-1)).to.equal('0 passed, 1 failed');
    expect(run.stdout).not.to.include('=== build');
  });
});
