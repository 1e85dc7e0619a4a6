// Runs the browser half of `npm test` in Debian's headless Chromium.
// No browser is ever downloaded: the launcher uses /usr/bin/chromium or CHROME_PATH.
import {chromeLauncher} from '@web/test-runner-chrome';
import {esbuildPlugin} from '@web/dev-server-esbuild';
import {fromRollup} from '@web/dev-server-rollup';
import rollupCommonjs from '@rollup/plugin-commonjs';
import {CHROME_ARGS, CHROME_PATH, FAKE_CAMERA_ARGS} from './test/support/chromium.mjs';
import {relayControlMiddleware, stopAllRelayProcesses} from './test/support/relay-processes.mjs';
import {nwcControlMiddleware, stopAllNwcWallets} from './test/support/nostr-relay-control.mjs';

const chromeArgs = [...CHROME_ARGS, ...FAKE_CAMERA_ARGS];
// Test-only CommonJS packages (the fake clock); v18 of the plugin is the one that works here (FIELD-NOTES 4).
const commonjs = fromRollup(rollupCommonjs);

export default {
  files: ['test/core/**/*.test.ts', 'test/testing/**/*.test.ts', 'test/elements/**/*.test.ts', 'test/browser/**/*.test.ts', 'test/frameworks/**/*.test.ts', 'test/bridges/**/*.test.ts'],
  nodeResolve: {exportConditions: ['production', 'default']},
  // Browser tests start, kill and restart real relay processes through this.
  // NWC tests run a Nostr relay and a wallet service in this server through the second.
  middleware: [relayControlMiddleware(), nwcControlMiddleware()],
  plugins: [
    esbuildPlugin({ts: true, target: 'es2022', tsconfig: './tsconfig.json'}),
    // fake-timers requires Node's timers inside a try; leave those requires alone in the browser.
    commonjs({include: ['**/node_modules/@sinonjs/**', '**/node_modules/type-detect/**'], ignore: ['timers', 'timers/promises', 'perf_hooks', 'util']}),
    {name: 'stop-relays', serverStop: () => stopAllRelayProcesses()},
    {name: 'stop-nwc-wallets', serverStop: () => stopAllNwcWallets()},
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: CHROME_PATH,
        headless: true,
        args: chromeArgs,
      },
    }),
  ],
  testFramework: {config: {timeout: 20000}},
  concurrency: 1,
  browserStartTimeout: 60000,
  testsStartTimeout: 60000,
  testsFinishTimeout: 600000,
};
