/**
 * The elements' own looks in Chromium: the system font on a bare page, one
 * accent for every button, the `theme` attribute and an emulated
 * `prefers-color-scheme` (WTR's emulateMedia), the page's `--ms-*` tokens,
 * and the styled file chooser of `<ms-beacon-input>`.
 */
import {expect, fixture, fixtureCleanup, html, waitUntil} from '@open-wc/testing';
import {emulateMedia, sendKeys} from '@web/test-runner-commands';
import QrScanner from 'qr-scanner';
import '../../src/elements/define/index.js';
import type {MsBeaconInput} from '../../src/elements/ms-beacon-input.js';
import type {MsPayment} from '../../src/elements/ms-payment.js';
import {createBeacon, encodeBeacon} from '../../src/core/beacon.js';
import {unwrap} from '../../src/core/errors.js';
import {parseWebSocketUrl} from '../../src/core/location.js';
import {createSignedInvoice, newPreimage} from '../../src/testing/invoice-signer.js';
import {part} from './shadow-helpers.js';

const BEACON = encodeBeacon(createBeacon([unwrap(parseWebSocketUrl('wss://relay.example.com:443'))]));
const TAGS = ['ms-consumer', 'ms-provider', 'ms-payment', 'ms-beacon-input', 'ms-beacon-display'] as const;

type Tag = (typeof TAGS)[number];

/** An invoice nobody pays, for a payment element that shows its QR code and copy button. */
function invoice(): string {
  const {paymentHash} = newPreimage();
  return createSignedInvoice({privateKey: new Uint8Array(32).fill(9), msats: 250_000, paymentHash, description: 'looks'});
}

/** An element of `tag` with `theme` (or none), showing enough to be judged. */
async function make(tag: Tag, theme?: 'light' | 'dark'): Promise<HTMLElement> {
  const el = document.createElement(tag);
  if (theme) el.setAttribute('theme', theme);
  if (tag === 'ms-payment') (el as MsPayment).invoice = invoice();
  if (tag === 'ms-beacon-display') el.setAttribute('beacon', BEACON);
  const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
  wrapper.append(el);
  await (el as HTMLElement & {updateComplete: Promise<unknown>}).updateComplete;
  return el;
}

/** The surface that turns light or dark: the element's card, or `<ms-beacon-display>`'s panel. */
function surfaceOf(el: HTMLElement): Element {
  return el.localName === 'ms-beacon-display' ? part(el, 'base') : el;
}

/** The colours that make an element light or dark: its surface's, and its buttons'. */
function colours(el: HTMLElement): string {
  const style = getComputedStyle(surfaceOf(el));
  const button = el.shadowRoot!.querySelector('button');
  return `${style.color} on ${style.backgroundColor}, buttons ${button ? getComputedStyle(button).color : 'none'}`;
}

/** Relative luminance of an `rgb(…)` colour: under 0.2 reads as dark. */
function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => Number(v) / 255);
  const linear = (c: number): number => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(r!) + 0.7152 * linear(g!) + 0.0722 * linear(b!);
}

function surface(el: HTMLElement): string {
  return getComputedStyle(surfaceOf(el)).backgroundColor;
}

describe('the elements\' looks', () => {
  afterEach(async () => {
    fixtureCleanup();
    await emulateMedia({colorScheme: 'light'});
  });

  it('use a system font stack on a bare page, not the page\'s default serif', async () => {
    for (const tag of TAGS) {
      const el = await make(tag);
      expect(getComputedStyle(el).fontFamily, tag).to.match(/^system-ui/);
    }
  });

  it('give every button, and the file chooser, the one accent colour', async () => {
    const restore = Object.getOwnPropertyDescriptor(QrScanner, 'hasCamera');
    Object.defineProperty(QrScanner, 'hasCamera', {value: async () => false, configurable: true, writable: true});
    try {
      const input = (await make('ms-beacon-input')) as MsBeaconInput;
      part(input, 'scan-button').click();
      await waitUntil(() => input.shadowRoot!.querySelector('[part="file-label"]'), 'no file chooser');
      const accents = [
        getComputedStyle(part(input, 'scan-button')).color,
        getComputedStyle(part(input, 'file-label')).color,
        getComputedStyle(part(await make('ms-beacon-display'), 'copy-button')).color,
        getComputedStyle(part(await make('ms-payment'), 'copy-button')).color,
      ];
      expect(new Set(accents).size, accents.join(' | ')).to.equal(1);
      expect(accents[0]).to.equal('rgb(9, 105, 218)');
    } finally {
      if (restore) Object.defineProperty(QrScanner, 'hasCamera', restore);
    }
  });

  it('differ between theme="light" and theme="dark", and reflect the theme property', async () => {
    for (const tag of TAGS) {
      const light = await make(tag, 'light');
      const dark = await make(tag, 'dark');
      expect(colours(light), tag).to.not.equal(colours(dark));
      expect(luminance(surface(light)), `${tag} light surface`).to.be.above(0.8);
      expect(luminance(surface(dark)), `${tag} dark surface`).to.be.below(0.2);
      expect(luminance(getComputedStyle(surfaceOf(dark)).color), `${tag} dark text`).to.be.above(0.6);
      const set = await make(tag);
      (set as HTMLElement & {theme?: string}).theme = 'dark';
      await (set as HTMLElement & {updateComplete: Promise<unknown>}).updateComplete;
      expect(set.getAttribute('theme'), tag).to.equal('dark');
      expect(colours(set), tag).to.equal(colours(dark));
    }
  });

  it('follow an emulated prefers-color-scheme unless theme says otherwise', async () => {
    for (const tag of TAGS) {
      const light = colours(await make(tag, 'light'));
      const dark = colours(await make(tag, 'dark'));
      await emulateMedia({colorScheme: 'dark'});
      expect(colours(await make(tag)), `${tag} under a dark preference`).to.equal(dark);
      expect(colours(await make(tag, 'light')), `${tag} theme=light under a dark preference`).to.equal(light);
      await emulateMedia({colorScheme: 'light'});
      expect(colours(await make(tag)), `${tag} under a light preference`).to.equal(light);
      expect(colours(await make(tag, 'dark')), `${tag} theme=dark under a light preference`).to.equal(dark);
    }
  });

  it('take the page\'s --ms-* tokens in either theme', async () => {
    const el = await fixture<HTMLElement>(html`<ms-consumer theme="dark" style="--ms-background: rgb(1, 2, 3); --ms-color: rgb(250, 250, 250)"></ms-consumer>`);
    expect(getComputedStyle(el).backgroundColor).to.equal('rgb(1, 2, 3)');
    expect(getComputedStyle(el).color).to.equal('rgb(250, 250, 250)');
    const display = await fixture<HTMLElement>(html`<ms-beacon-display beacon=${BEACON} style="--ms-accent: rgb(120, 40, 200)"></ms-beacon-display>`);
    expect(getComputedStyle(part(display, 'copy-button')).color).to.equal('rgb(120, 40, 200)');
  });

  it('hide the native file input behind a label styled as a button, which shows the focus ring', async () => {
    const restore = Object.getOwnPropertyDescriptor(QrScanner, 'hasCamera');
    Object.defineProperty(QrScanner, 'hasCamera', {value: async () => false, configurable: true, writable: true});
    try {
      const el = await fixture<MsBeaconInput>(html`<ms-beacon-input></ms-beacon-input>`);
      part(el, 'scan-button').click();
      await waitUntil(() => el.shadowRoot!.querySelector('[part="file-input"]'), 'no file chooser');
      await waitUntil(() => el.shadowRoot!.activeElement === part(el, 'scan-button'), 'focus back on the scan button');
      const chooser = part<HTMLInputElement>(el, 'file-input');
      const label = part(el, 'file-label');
      expect(chooser.type).to.equal('file');
      expect(chooser.getBoundingClientRect().width).to.be.at.most(1);
      expect(chooser.labels![0]).to.equal(label);
      expect(getComputedStyle(label).borderTopStyle).to.equal('solid');
      expect(getComputedStyle(label).cursor).to.equal('pointer');
      expect(getComputedStyle(label).outlineStyle).to.equal('none');
      await sendKeys({press: 'Tab'});
      expect(el.shadowRoot!.activeElement).to.equal(chooser);
      expect(getComputedStyle(label).outlineStyle).to.equal('solid');
      await expect(el).to.be.accessible();
    } finally {
      if (restore) Object.defineProperty(QrScanner, 'hasCamera', restore);
    }
  });
});
