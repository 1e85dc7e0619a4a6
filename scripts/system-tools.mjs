// The system programs the tests need, and what `npm test` does when one is missing: as root on Debian
// it installs it (as .ci/run does); otherwise it stops at once with the exact command to run.
import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';

/** name, how to find it, the Debian package, and why the tests need it. */
export const SYSTEM_TOOLS = [
  {
    name: 'Chromium',
    present: () => (process.env.CHROME_PATH ? existsSync(process.env.CHROME_PATH) : existsSync('/usr/bin/chromium')),
    pkg: 'chromium',
    why: 'the browser tests run in headless Chromium (or the browser CHROME_PATH names)',
    custom: () => process.env.CHROME_PATH !== undefined,
  },
  {
    name: 'redis-server',
    present: () => runs(process.env.REDIS_SERVER ?? 'redis-server', ['--version']),
    pkg: 'redis-server',
    why: 'the relay cluster tests start their own redis-server (or the binary REDIS_SERVER names)',
    custom: () => process.env.REDIS_SERVER !== undefined,
  },
  {
    name: 'openssl',
    present: () => runs('openssl', ['version']),
    pkg: 'openssl',
    why: 'the relay TLS tests make a self-signed certificate with it',
    custom: () => false,
  },
];

function runs(command, args) {
  return spawnSync(command, args, {stdio: 'ignore'}).status === 0;
}

function aptInstall(pkg) {
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) return false;
  console.log(`${pkg} is missing: apt-get install -y ${pkg}`);
  const env = {...process.env, DEBIAN_FRONTEND: 'noninteractive'};
  const install = () => spawnSync('apt-get', ['install', '-y', '-q', pkg], {stdio: 'inherit', env}).status === 0;
  return install() || (spawnSync('apt-get', ['update', '-q'], {stdio: 'inherit', env}).status === 0 && install());
}

/** Installs what is missing when it can; returns the tools still missing. */
export function ensureSystemTools(tools = SYSTEM_TOOLS) {
  return tools.filter((tool) => !tool.present() && (tool.custom() || !aptInstall(tool.pkg) || !tool.present()));
}

export function missingToolsMessage(missing) {
  const packages = missing.map((tool) => tool.pkg).join(' ');
  const lines = missing.map((tool) => `  - ${tool.name}: ${tool.why}`);
  return `\nMissing system programs the tests need:\n${lines.join('\n')}\n\nInstall them with:\n\n    sudo apt-get update && sudo apt-get install -y ${packages}\n\nthen run npm test again.`;
}
