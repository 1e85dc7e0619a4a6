/** The demo network's HTTP API, under /demo-ln/. See demo/README.md for the contract. */
import type {IncomingMessage, ServerResponse} from 'node:http';
import {BOLT11_MAX_LENGTH} from '../../src/core/bolt11.js';
import {isMoneysocketError} from '../../src/core/errors.js';
import {HttpError, integerField, objectField, readJson, sendJson, stringField} from './http-json.js';
import {decodeInvoice, isReservedLedger, LEDGER_ID, parseIssuedInvoice, type DemoLightning} from './lightning.js';

/** What the shop sells and the faucet gives stay small: this is play money, but bounded play money. */
const MAX_SHOP_MSATS = 100_000_000;
const MAX_FAUCET_MSATS = 100_000_000;

type Route = (body: Record<string, unknown>, ln: DemoLightning) => Promise<unknown>;

const POST_ROUTES: Record<string, Route> = {
  '/demo-ln/register': async (body, ln) => {
    const payee = ledgerId(body, 'payee');
    if (isReservedLedger(payee)) throw new HttpError(403, `${payee} is the server's own ledger`);
    await ln.register(parseIssuedInvoice(objectField(body, 'invoice')), payee);
    return {ok: true};
  },
  '/demo-ln/settle': async (body, ln) => ln.settle(stringField(body, 'bolt11', BOLT11_MAX_LENGTH), ledgerId(body, 'payer')),
  '/demo-ln/merchant/invoice': async (body, ln) => {
    const msats = integerField(body, 'msats', 1, MAX_SHOP_MSATS);
    const description = body.description === undefined ? 'demo article' : stringField(body, 'description', 200);
    const {bolt11, paymentHash} = await ln.shop.createInvoice(msats, description);
    return {bolt11, paymentHash, msats};
  },
  '/demo-ln/faucet/pay': async (body, ln) => {
    const bolt11 = stringField(body, 'bolt11', BOLT11_MAX_LENGTH);
    const msats = decodeInvoice(bolt11).msats;
    if (msats === null || msats > BigInt(MAX_FAUCET_MSATS)) {
      throw new HttpError(400, `the faucet pays invoices with an amount of at most ${MAX_FAUCET_MSATS} msats`);
    }
    return {preimage: await ln.faucet.pay(bolt11), msats: Number(msats)};
  },
};

/** Handles a /demo-ln/ request; false when the path is not one of ours. */
export async function handleLightning(req: IncomingMessage, res: ServerResponse, url: URL, ln: DemoLightning): Promise<boolean> {
  if (url.pathname === '/demo-ln/events') {
    if (req.method !== 'GET') throw new HttpError(405, 'use GET');
    const ledger = url.searchParams.get('ledger') ?? '';
    if (!LEDGER_ID.test(ledger) || isReservedLedger(ledger)) throw new HttpError(400, `ledger must match ${LEDGER_ID}`);
    ln.events.subscribe(ledger, res);
    return true;
  }
  const route = POST_ROUTES[url.pathname];
  if (route === undefined) return false;
  if (req.method !== 'POST') throw new HttpError(405, 'use POST');
  const body = await readJson(req);
  try {
    sendJson(res, 200, await route(body, ln));
  } catch (error) {
    // The ledgers throw MoneysocketErrors for money problems (balance, amount): the client's fault, not ours.
    if (isMoneysocketError(error)) throw new HttpError(409, error.message);
    throw error;
  }
  return true;
}

function ledgerId(body: Record<string, unknown>, name: string): string {
  return stringField(body, name, 64, LEDGER_ID);
}
