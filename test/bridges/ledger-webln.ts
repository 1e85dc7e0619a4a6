/**
 * A WebLN provider over a DemoLedger: what a browser wallet extension does,
 * over play money. It records the calls it gets, and can be told how the
 * next payment ends badly, as real wallets do.
 */
import type {GetBalanceResponse, RequestInvoiceArgs, WebLNProvider} from '@webbtc/webln-types';
import type {DemoLedger} from '../../src/testing/demo-ledger.js';

export type PaymentFault =
  /** The person says no in the wallet's prompt: nothing is paid. */
  | {kind: 'reject'; error: Error}
  /** The wallet pays, then its answer is an error. */
  | {kind: 'pay-then-fail'; error: Error};

export interface LedgerWebLN extends WebLNProvider {
  calls: string[];
  nextPaymentFault: PaymentFault | undefined;
}

export function ledgerWebLN(ledger: DemoLedger): LedgerWebLN {
  const webln: LedgerWebLN = {
    calls: [],
    nextPaymentFault: undefined,
    async enable() {
      webln.calls.push('enable');
    },
    async getInfo() {
      webln.calls.push('getInfo');
      return {node: {alias: ledger.id, pubkey: ''}, version: 'test', supports: ['lightning'], methods: ['makeInvoice', 'sendPayment', 'getBalance']};
    },
    async makeInvoice(args: string | number | RequestInvoiceArgs) {
      webln.calls.push('makeInvoice');
      const amount = typeof args === 'object' ? args.amount : args;
      // A WebLN wallet takes whole sats; the backend must never hand it anything else.
      if (!Number.isInteger(Number(amount))) throw new Error(`not a whole number of sats: ${amount}`);
      const invoice = await ledger.createInvoice(Number(amount) * 1000);
      return {paymentRequest: invoice.bolt11};
    },
    async sendPayment(paymentRequest: string) {
      webln.calls.push('sendPayment');
      const fault = webln.nextPaymentFault;
      webln.nextPaymentFault = undefined;
      if (fault?.kind === 'reject') throw fault.error;
      const preimage = await ledger.pay(paymentRequest);
      if (fault?.kind === 'pay-then-fail') throw fault.error;
      return {preimage};
    },
    async getBalance(): Promise<GetBalanceResponse> {
      webln.calls.push('getBalance');
      return {balance: ledger.balanceMsats / 1000, currency: 'sats'};
    },
  };
  return webln;
}
