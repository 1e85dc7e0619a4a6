// How every test launches Debian's Chromium: web-test-runner for the browser
// suites and puppeteer for the demo test. Nothing is ever downloaded.
export const CHROME_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium';

export const CHROME_ARGS = [
  '--no-sandbox', // CI runs as root
  '--disable-gpu',
  '--disable-dev-shm-usage',
  // This machine's network is closed: keep Chromium from phoning home.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** The camera tests for the QR scanner run against Chromium's fake device. */
export const FAKE_CAMERA_ARGS = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'];
