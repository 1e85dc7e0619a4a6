// web-test-runner middleware that runs NWC test wallets (a Nostr relay from
// npm and a wallet service, see nostr-relay.ts) in the test server for the
// browser tests: POST /__nwc/{start|stats|fault|shop-invoice|pay-wallet-invoice|stop}
// with a JSON body. At most MAX_WALLETS at once; all stopped when the server stops.
import {tsImport} from 'tsx/esm/api';

const MAX_WALLETS = 8;
const wallets = new Map();
let nextId = 1;
let fixtureModule;

function fixtures() {
  fixtureModule ??= tsImport('./nostr-relay.ts', import.meta.url);
  return fixtureModule;
}

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 64 * 1024) throw new Error('body too large');
    chunks.push(chunk);
  }
  return chunks.length === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function walletOf(body) {
  const wallet = wallets.get(String(body.id));
  if (wallet === undefined) throw new Error(`no NWC wallet ${body.id}`);
  return wallet;
}

const actions = {
  start: async (body) => {
    if (wallets.size >= MAX_WALLETS) throw new Error(`at most ${MAX_WALLETS} NWC wallets at once: stop some`);
    const {NwcFixture} = await fixtures();
    const fixture = await NwcFixture.start(typeof body.walletMsats === 'number' ? body.walletMsats : undefined);
    const id = String(nextId++);
    wallets.set(id, fixture);
    return {id, connection: fixture.connectionString};
  },
  stats: async (body) => walletOf(body).stats(),
  fault: async (body) => {
    walletOf(body).setFault(body.method, body.fault ?? undefined);
    return {ok: true};
  },
  'shop-invoice': async (body) => walletOf(body).shopInvoice(Number(body.msats)),
  'pay-wallet-invoice': async (body) => walletOf(body).payWalletInvoice(String(body.bolt11)),
  stop: async (body) => {
    const wallet = wallets.get(String(body.id));
    wallets.delete(String(body.id));
    await wallet?.close();
    return {ok: true};
  },
};

export async function stopAllNwcWallets() {
  const all = [...wallets.values()];
  wallets.clear();
  await Promise.all(all.map((wallet) => wallet.close()));
}

export function nwcControlMiddleware() {
  return async (ctx, next) => {
    const match = /^\/__nwc\/([a-z-]+)$/.exec(ctx.path);
    const action = match && Object.hasOwn(actions, match[1]) ? actions[match[1]] : undefined;
    if (action === undefined) return next();
    try {
      ctx.body = await action(await readBody(ctx.req));
    } catch (error) {
      ctx.status = 500;
      ctx.body = {error: String(error)};
    }
  };
}
