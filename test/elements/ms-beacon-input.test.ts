import {aTimeout, expect, fixture, html, oneEvent, waitUntil} from '@open-wc/testing';
import {sendKeys} from '@web/test-runner-commands';
import {bech32} from '@scure/base';
import QrScanner from 'qr-scanner';
import {beaconToJson, createBeacon, encodeBeacon} from '../../src/core/beacon.js';
import {unwrap} from '../../src/core/errors.js';
import {parseWebSocketUrl} from '../../src/core/location.js';
import {SharedSeed} from '../../src/core/seed.js';
import {DemoLedger, InMemoryDemoNetwork} from '../../src/testing/demo-ledger.js';
import {createSignedInvoice} from '../../src/testing/invoice-signer.js';
import type {MsBeaconDetail, MsErrorDetail} from '../../src/elements/events.js';
import '../../src/elements/define/ms-beacon-display.js';
import {MsBeaconInput} from '../../src/elements/define/ms-beacon-input.js';
import {part, shownIn} from './shadow-helpers.js';

const beaconObject = createBeacon(
  [unwrap(parseWebSocketUrl('wss://relay.example.com:443'))],
  unwrap(SharedSeed.fromHex('00112233445566778899aabbccddeeff')),
);
const BEACON = encodeBeacon(beaconObject);
const OTHER = encodeBeacon(createBeacon([unwrap(parseWebSocketUrl('ws://127.0.0.1:11060'))]));
/** The same beacon with its last character changed: the checksum no longer matches. */
const MISTYPED = BEACON.slice(0, -1) + (BEACON.endsWith('q') ? 'p' : 'q');
/** Valid bech32, wrong human-readable part (a Nostr public key). */
const FOREIGN = bech32.encode('npub', bech32.toWords(new Uint8Array(32)));

const TEXT = {
  valid: 'Beacon OK',
  checksum: "The beacon's checksum does not match: a character is wrong or missing.",
  prefix: 'This is not a Moneysocket beacon (it should start with moneysocket1).',
  invoice: 'This is a Lightning invoice, not a beacon. Paste the beacon your Moneysocket wallet shows (it starts with moneysocket1).',
  lnurl: 'This is an LNURL or a Lightning address, not a beacon. Paste the beacon your Moneysocket wallet shows (it starts with moneysocket1).',
};


async function typeInto(el: MsBeaconInput, text: string): Promise<void> {
  part<HTMLInputElement>(el, 'input').focus();
  await sendKeys({type: text});
  await el.updateComplete;
}

/** What a paste (or an autofill) looks like to the element: a value change and one input event. */
async function pasteInto(el: MsBeaconInput, text: string): Promise<void> {
  const input = part<HTMLInputElement>(el, 'input');
  input.value = text;
  input.dispatchEvent(new InputEvent('input', {inputType: 'insertFromPaste', bubbles: true, composed: true}));
  await el.updateComplete;
}

/** Draws a beacon's QR code as `<ms-beacon-display>` renders it, rasterised onto a canvas. */
async function beaconQrCanvas(beacon: string, size = 400): Promise<HTMLCanvasElement> {
  const display = await fixture(html`<ms-beacon-display beacon=${beacon}></ms-beacon-display>`);
  const svg = display.shadowRoot!.querySelector('svg')!.cloneNode(true) as SVGSVGElement;
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  const url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(svg)], {type: 'image/svg+xml'}));
  const image = new Image();
  image.src = url;
  await image.decode();
  URL.revokeObjectURL(url);
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size;
  canvas.getContext('2d')!.drawImage(image, 0, 0, size, size);
  return canvas;
}

async function pngFile(canvas: HTMLCanvasElement): Promise<File> {
  const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
  return new File([blob], 'beacon.png', {type: 'image/png'});
}

/** Replaces a method for one test; returns the function that puts it back. */
function stub<T extends object, K extends keyof T>(target: T, key: K, value: T[K]): () => void {
  const own = Object.getOwnPropertyDescriptor(target, key);
  Object.defineProperty(target, key, {value, configurable: true, writable: true});
  return () => (own ? Object.defineProperty(target, key, own) : delete target[key]);
}

describe('<ms-beacon-input>', () => {
  describe('attributes and structure', () => {
    it('is registered, typed and has every part', async () => {
      const el = await fixture<MsBeaconInput>(html`<ms-beacon-input></ms-beacon-input>`);
      expect(el).to.be.instanceOf(MsBeaconInput);
      expect(document.createElement('ms-beacon-input')).to.be.instanceOf(MsBeaconInput);
      for (const name of ['base', 'label', 'field', 'input', 'scan-button', 'message', 'viewfinder', 'stop-button', 'scan-message']) {
        part(el, name);
      }
      expect(part(el, 'viewfinder').hidden).to.equal(true);
      expect(el.shadowRoot!.querySelector('[part="file-input"]')).to.equal(null);
    });

    it('labels the field "Beacon" and the scan button "Scan QR code" by default', async () => {
      const el = await fixture<MsBeaconInput>(html`<ms-beacon-input></ms-beacon-input>`);
      const input = part<HTMLInputElement>(el, 'input');
      expect(input.labels![0]).to.equal(part(el, 'label'));
      expect(shownIn(el, 'label')).to.equal('Beacon');
      expect(shownIn(el, 'scan-button')).to.equal('Scan QR code');
      expect(shownIn(el, 'stop-button')).to.equal('Stop');
      expect(input.getAttribute('aria-describedby')).to.equal(part(el, 'message').id);
      expect(part(el, 'message').getAttribute('role')).to.equal('status');
      expect(part(el, 'message').getAttribute('aria-live')).to.equal('polite');
    });

    it('passes `placeholder` and `value` to the field and `for` to htmlFor', async () => {
      const el = await fixture<MsBeaconInput>(
        html`<ms-beacon-input placeholder="moneysocket1…" value=${BEACON} for="consumer"></ms-beacon-input>`,
      );
      const input = part<HTMLInputElement>(el, 'input');
      expect(input.placeholder).to.equal('moneysocket1…');
      expect(input.value).to.equal(BEACON);
      expect(el.htmlFor).to.equal('consumer');
      el.value = '';
      el.placeholder = '';
      await el.updateComplete;
      expect(input.value).to.equal('');
      expect(input.hasAttribute('placeholder')).to.equal(false);
    });

    it('shows the verdict on a value set from script, without firing ms-beacon', async () => {
      const el = await fixture<MsBeaconInput>(html`<ms-beacon-input></ms-beacon-input>`);
      let fired = 0;
      el.addEventListener('ms-beacon', () => fired++);
      el.value = MISTYPED;
      await el.updateComplete;
      expect(shownIn(el, 'message')).to.equal(TEXT.checksum);
      el.value = BEACON;
      await el.updateComplete;
      expect(shownIn(el, 'message')).to.equal(TEXT.valid);
      expect(fired).to.equal(0);
    });
  });

  describe('validation while typing', () => {
    it('says nothing while the field is empty', async () => {
      const el = await fixture<MsBeaconInput>(html`<ms-beacon-input></ms-beacon-input>`);
      expect(shownIn(el, 'message')).to.equal('');
      expect(part(el, 'input').hasAttribute('aria-invalid')).to.equal(false);
    });

    it('accepts a typed beacon, says so and fires ms-beacon once with the decoded beacon', async () => {
      const el = await fixture<MsBeaconInput>(html`<ms-beacon-input></ms-beacon-input>`);
      const events: MsBeaconDetail[] = [];
      el.addEventListener('ms-beacon', (e) => events.push(e.detail));
      await typeInto(el, BEACON);
      expect(el.value).to.equal(BEACON);
      expect(shownIn(el, 'message')).to.equal(TEXT.valid);
      expect(part(el, 'message').dataset['state']).to.equal('valid');
      expect(part(el, 'input').hasAttribute('aria-invalid')).to.equal(false);
      expect(events).to.deep.equal([{beacon: BEACON, decoded: beaconToJson(beaconObject)}]);
    });

    it('flags a mistyped character as a checksum error, in the live region', async () => {
      const el = await fixture<MsBeaconInput>(html`<ms-beacon-input></ms-beacon-input>`);
      let fired = 0;
      el.addEventListener('ms-beacon', () => fired++);
      await typeInto(el, MISTYPED);
      expect(shownIn(el, 'message')).to.equal(TEXT.checksum);
      expect(part(el, 'message').dataset['state']).to.equal('invalid');
      expect(part(el, 'input').getAttribute('aria-invalid')).to.equal('true');
      expect(fired).to.equal(0);
    });

    it('says so when the text is bech32 but not a Moneysocket beacon', async () => {
      const el = await fixture<MsBeaconInput>(html`<ms-beacon-input></ms-beacon-input>`);
      await typeInto(el, FOREIGN);
      expect(shownIn(el, 'message')).to.equal(TEXT.prefix);
    });

    it('says "this is a Lightning invoice, not a beacon" for a pasted invoice, with its own code', async () => {
      const {bolt11} = await new DemoLedger({id: 'shop', balanceMsats: 0, network: new InMemoryDemoNetwork()}).createInvoice(2500);
      const testnet = createSignedInvoice({privateKey: new Uint8Array(32).fill(7), paymentHash: new Uint8Array(32).fill(1), msats: null, network: 'tb'});
      const el = await fixture<MsBeaconInput>(html`<ms-beacon-input></ms-beacon-input>`);
      const fired: string[] = [];
      el.addEventListener('ms-beacon', (e) => fired.push(e.detail.beacon));
      for (const text of [bolt11, `lightning:${bolt11.toUpperCase()}`, testnet]) {
        await pasteInto(el, text);
        expect(shownIn(el, 'message'), text).to.equal(TEXT.invoice);
        expect(el.shadowRoot!.querySelector('slot[name="error-BEACON_IS_INVOICE"]'), text).to.not.equal(null);
        expect(part(el, 'input').getAttribute('aria-invalid')).to.equal('true');
      }
      expect(fired).to.deep.equal([]);
    });

    it('says what an LNURL or a Lightning address is, with its own code', async () => {
      const el = await fixture<MsBeaconInput>(html`<ms-beacon-input></ms-beacon-input>`);
      const lnurl = bech32.encode('lnurl', bech32.toWords(new TextEncoder().encode('https://example.com/lnurlp/alice')), 1023);
      for (const text of [lnurl, lnurl.toUpperCase(), `lightning:${lnurl}`, 'lnurlp://example.com/lnurlp/alice', 'alice@example.com']) {
        await pasteInto(el, text);
        expect(shownIn(el, 'message'), text).to.equal(TEXT.lnurl);
        expect(el.shadowRoot!.querySelector('slot[name="error-BEACON_IS_LNURL"]'), text).to.not.equal(null);
      }
    });

    it('updates the verdict on every keystroke: fixing the last character makes it valid', async () => {
      const el = await fixture<MsBeaconInput>(html`<ms-beacon-input></ms-beacon-input>`);
      await typeInto(el, MISTYPED);
      expect(shownIn(el, 'message')).to.equal(TEXT.checksum);
      const detail = oneEvent(el, 'ms-beacon');
      await sendKeys({press: 'Backspace'});
      await sendKeys({type: BEACON.slice(-1)});
      expect((await detail).detail.beacon).to.equal(BEACON);
      await el.updateComplete;
      expect(shownIn(el, 'message')).to.equal(TEXT.valid);
      // Emptying the field empties the message.
      // Chrome's launcher (puppeteer) knows no 'Control+a' chords: hold the key down instead.
      await sendKeys({down: 'Control'});
      await sendKeys({press: 'a'});
      await sendKeys({up: 'Control'});
      await sendKeys({press: 'Backspace'});
      await el.updateComplete;
      expect(el.value).to.equal('');
      expect(shownIn(el, 'message')).to.equal('');
    });

    it('accepts a pasted upper-case beacon with the moneysocket: prefix and spaces, and normalises it', async () => {
      const el = await fixture<MsBeaconInput>(html`<ms-beacon-input></ms-beacon-input>`);
      const event = oneEvent(el, 'ms-beacon');
      await pasteInto(el, `  moneysocket:${BEACON.toUpperCase()}\n`);
      const {detail} = await event;
      expect(detail.beacon).to.equal(BEACON);
      expect(detail.decoded).to.deep.equal(beaconToJson(beaconObject));
      expect(shownIn(el, 'message')).to.equal(TEXT.valid);
    });

    it('fires ms-beacon again for a different beacon, for the same one pasted again or after an invalid edit, but not for edits that keep it', async () => {
      const el = await fixture<MsBeaconInput>(html`<ms-beacon-input></ms-beacon-input>`);
      const beacons: string[] = [];
      el.addEventListener('ms-beacon', (e) => beacons.push(e.detail.beacon));
      await pasteInto(el, BEACON);
      await typeInto(el, ' '); // typing that keeps the same beacon announces nothing new
      expect(beacons).to.deep.equal([BEACON]);
      await pasteInto(el, ` ${BEACON} `); // the same beacon entered again, as a whole
      await pasteInto(el, OTHER);
      await pasteInto(el, MISTYPED);
      await pasteInto(el, BEACON);
      expect(beacons).to.deep.equal([BEACON, BEACON, OTHER, BEACON]);
    });

    it('fires a bubbling, composed event', async () => {
      const el = await fixture<MsBeaconInput>(html`<ms-beacon-input></ms-beacon-input>`);
      const event = oneEvent(document, 'ms-beacon');
      await pasteInto(el, BEACON);
      const fired = await event;
      expect(fired.bubbles && fired.composed).to.equal(true);
    });
  });

  describe('`for`', () => {
    it('sets the beacon property of the element it names', async () => {
      const root = await fixture(html`<div>
        <ms-beacon-input for="target"></ms-beacon-input>
        <div id="target"></div>
      </div>`);
      const el = root.querySelector('ms-beacon-input')!;
      const target = root.querySelector('#target') as HTMLElement & {beacon?: string};
      await pasteInto(el, MISTYPED);
      expect(target.beacon).to.equal(undefined);
      await pasteInto(el, `MONEYSOCKET:${BEACON.toUpperCase()}`);
      expect(target.beacon).to.equal(BEACON);
    });

    it('takes back the beacon it gave when the field is emptied, unless it was replaced since', async () => {
      const root = await fixture(html`<div><ms-beacon-input for="target"></ms-beacon-input><div id="target"></div></div>`);
      const el = root.querySelector('ms-beacon-input')!;
      const target = root.querySelector('#target') as HTMLElement & {beacon?: string};
      await pasteInto(el, BEACON);
      expect(target.beacon).to.equal(BEACON);
      await pasteInto(el, MISTYPED); // a half-edited beacon takes nothing back
      expect(target.beacon).to.equal(BEACON);
      await pasteInto(el, '');
      expect(target.beacon).to.equal(undefined);
      await pasteInto(el, BEACON);
      target.beacon = OTHER; // the page chose another one meanwhile
      await pasteInto(el, '');
      expect(target.beacon).to.equal(OTHER);
    });

    it('announces and writes the same beacon again while the element it names is disconnected', async () => {
      const root = await fixture(html`<div><ms-beacon-input for="target"></ms-beacon-input><div id="target"></div></div>`);
      const el = root.querySelector('ms-beacon-input')!;
      const target = root.querySelector('#target') as HTMLElement & {beacon?: string; state?: string};
      const written: string[] = [];
      let beacon: string | undefined;
      Object.defineProperty(target, 'beacon', {get: () => beacon, set: (value: string) => written.push((beacon = value))});
      target.state = 'connected';
      await pasteInto(el, BEACON);
      await typeInto(el, ' ');
      expect(written).to.deep.equal([BEACON]);
      target.state = 'disconnected';
      await typeInto(el, ' ');
      expect(written).to.deep.equal([BEACON, BEACON]);
    });

    it('looks in its own shadow root first, then in the document', async () => {
      const host = await fixture(html`<div></div>`);
      const outside = document.createElement('div');
      outside.id = 'outside';
      host.append(outside);
      const shadow = host.attachShadow({mode: 'open'});
      shadow.innerHTML = '<ms-beacon-input for="inside"></ms-beacon-input><div id="inside"></div><slot></slot>';
      const el = shadow.querySelector('ms-beacon-input')!;
      await el.updateComplete;
      await pasteInto(el, BEACON);
      expect((shadow.getElementById('inside') as HTMLElement & {beacon?: string}).beacon).to.equal(BEACON);
      el.htmlFor = 'outside';
      await pasteInto(el, OTHER);
      expect((outside as HTMLElement & {beacon?: string}).beacon).to.equal(OTHER);
    });

    it('does nothing when the id names no element', async () => {
      const el = await fixture<MsBeaconInput>(html`<ms-beacon-input for="nobody"></ms-beacon-input>`);
      const event = oneEvent(el, 'ms-beacon');
      await pasteInto(el, BEACON);
      expect((await event).detail.beacon).to.equal(BEACON);
    });
  });

  describe('slots', () => {
    it('replaces the label, button and verdict texts', async () => {
      const el = await fixture<MsBeaconInput>(html`<ms-beacon-input>
        <span slot="label">Balise</span>
        <span slot="scan-label">Scanner</span>
        <span slot="stop-label">Arrêter</span>
        <span slot="valid">Balise valide</span>
        <span slot="error-BEACON_CHECKSUM">Somme de contrôle fausse</span>
      </ms-beacon-input>`);
      expect(shownIn(el, 'label')).to.equal('Balise');
      expect(shownIn(el, 'scan-button')).to.equal('Scanner');
      expect(shownIn(el, 'stop-button')).to.equal('Arrêter');
      await pasteInto(el, MISTYPED);
      expect(shownIn(el, 'message')).to.equal('Somme de contrôle fausse');
      await pasteInto(el, FOREIGN); // no slot for this code: the English default
      expect(shownIn(el, 'message')).to.equal(TEXT.prefix);
      await pasteInto(el, BEACON);
      expect(shownIn(el, 'message')).to.equal('Balise valide');
    });

    it('uses the generic `error` slot for every code without its own slot', async () => {
      const el = await fixture<MsBeaconInput>(html`<ms-beacon-input>
        <span slot="error">Balise invalide</span>
        <span slot="error-BEACON_PREFIX">Pas une balise Moneysocket</span>
      </ms-beacon-input>`);
      await pasteInto(el, MISTYPED);
      expect(shownIn(el, 'message')).to.equal('Balise invalide');
      await pasteInto(el, 'hello');
      expect(shownIn(el, 'message')).to.equal('Balise invalide');
      await pasteInto(el, FOREIGN);
      expect(shownIn(el, 'message')).to.equal('Pas une balise Moneysocket');
    });
  });

  describe('accessibility', () => {
    it('is accessible empty, valid and invalid', async () => {
      const el = await fixture<MsBeaconInput>(html`<ms-beacon-input></ms-beacon-input>`);
      await expect(el).to.be.accessible();
      await pasteInto(el, BEACON);
      await expect(el).to.be.accessible();
      await pasteInto(el, MISTYPED);
      await expect(el).to.be.accessible();
    });

    it('is reachable with Tab: the field, then the scan button', async () => {
      const before = await fixture(html`<div><button id="before">before</button><ms-beacon-input></ms-beacon-input></div>`);
      const el = before.querySelector('ms-beacon-input')!;
      before.querySelector<HTMLButtonElement>('#before')!.focus();
      await sendKeys({press: 'Tab'});
      expect(el.shadowRoot!.activeElement).to.equal(part(el, 'input'));
      await sendKeys({press: 'Tab'});
      expect(el.shadowRoot!.activeElement).to.equal(part(el, 'scan-button'));
    });
  });

  describe('scanning an image', () => {
    it('reads the QR code <ms-beacon-display> draws (display → input round trip)', async () => {
      const canvas = await beaconQrCanvas(`moneysocket:${BEACON}`);
      const el = await fixture<MsBeaconInput>(html`<ms-beacon-input></ms-beacon-input>`);
      const event = oneEvent(el, 'ms-beacon');
      const text = await el.scanImage(await pngFile(canvas));
      expect(text).to.equal(BEACON.toUpperCase()); // the display encodes upper case
      const {detail} = await event;
      expect(detail.beacon).to.equal(BEACON);
      expect(detail.decoded).to.deep.equal(beaconToJson(beaconObject));
      await el.updateComplete;
      expect(part<HTMLInputElement>(el, 'input').value).to.equal(BEACON.toUpperCase());
      expect(shownIn(el, 'message')).to.equal(TEXT.valid);
    });

    it('reads a canvas directly, and validates what it reads like typed text', async () => {
      const el = await fixture<MsBeaconInput>(html`<ms-beacon-input></ms-beacon-input>`);
      expect(await el.scanImage(await beaconQrCanvas(FOREIGN))).to.equal(FOREIGN);
      await el.updateComplete;
      expect(shownIn(el, 'message')).to.equal(TEXT.prefix);
    });

    it('fires ms-error and says so when there is no QR code in the image', async () => {
      const el = await fixture<MsBeaconInput>(html`<ms-beacon-input></ms-beacon-input>`);
      const blank = document.createElement('canvas');
      blank.width = blank.height = 200;
      const context = blank.getContext('2d')!;
      context.fillStyle = '#fff';
      context.fillRect(0, 0, 200, 200);
      const event = oneEvent(el, 'ms-error');
      expect(await el.scanImage(blank)).to.equal(null);
      const detail: MsErrorDetail = (await event).detail;
      expect(detail.code).to.equal('INVALID_ARGUMENT');
      expect(detail.message).to.match(/no QR code/i);
      await el.updateComplete;
      expect(shownIn(el, 'scan-message')).to.equal('No QR code could be read from this picture.');
      await pasteInto(el, BEACON); // new input clears the scan news
      expect(shownIn(el, 'scan-message')).to.equal('');
    });
  });

  describe('scanning with the camera (Chromium fake device)', () => {
    let restore: Array<() => void> = [];
    afterEach(() => {
      restore.forEach((undo) => undo());
      restore = [];
    });

    async function startCamera(el: MsBeaconInput): Promise<HTMLVideoElement> {
      part(el, 'scan-button').click();
      await waitUntil(() => el.shadowRoot!.querySelector('video')?.srcObject instanceof MediaStream, 'no camera stream', {timeout: 10000});
      return el.shadowRoot!.querySelector('video')!;
    }

    const tracks = (video: HTMLVideoElement): MediaStreamTrack[] => (video.srcObject as MediaStream).getTracks();

    it('finds the fake camera', async () => {
      expect(await QrScanner.hasCamera()).to.equal(true);
    });

    it('starts a live stream in a visible video part inside the shadow root, and Stop ends it', async () => {
      const el = await fixture<MsBeaconInput>(html`<ms-beacon-input></ms-beacon-input>`);
      const video = await startCamera(el);
      const live = tracks(video);
      expect(live.length).to.be.greaterThan(0);
      expect(live.every((t) => t.readyState === 'live')).to.equal(true);
      await waitUntil(() => video.videoWidth > 0 && video.getBoundingClientRect().width > 0, 'video not shown');
      // qr-scanner moves shadow-DOM videos to <body> and shrinks them (nimiq/qr-scanner#168): undone.
      expect(video.getRootNode()).to.equal(el.shadowRoot);
      expect(video.getAttribute('part')).to.equal('video');
      expect(getComputedStyle(video).opacity).to.equal('1');
      expect(part(el, 'viewfinder').hidden).to.equal(false);
      expect(part(el, 'scan-button').hidden).to.equal(true);
      expect(el.shadowRoot!.activeElement).to.equal(part(el, 'stop-button'));
      expect(shownIn(el, 'scan-message')).to.equal("Point the camera at the beacon's QR code.");

      part(el, 'stop-button').click();
      await el.updateComplete;
      expect(live.every((t) => t.readyState === 'ended')).to.equal(true);
      expect(video.isConnected).to.equal(false);
      expect(part(el, 'viewfinder').hidden).to.equal(true);
      await waitUntil(() => el.shadowRoot!.activeElement === part(el, 'scan-button'), 'focus not back on the scan button');
      expect(shownIn(el, 'scan-message')).to.equal('');
    });

    it('leaves no camera on when stopped while still starting', async () => {
      const streams: MediaStream[] = [];
      const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
      const recording = (async (constraints?: MediaStreamConstraints) => {
        const stream = await real(constraints);
        streams.push(stream);
        return stream;
      }) as MediaDevices['getUserMedia'];
      restore.push(stub(navigator.mediaDevices, 'getUserMedia', recording));
      const el = await fixture<MsBeaconInput>(html`<ms-beacon-input></ms-beacon-input>`);
      part(el, 'scan-button').click();
      await el.updateComplete;
      part(el, 'stop-button').click();
      await aTimeout(1000);
      expect(streams.flatMap((s) => s.getTracks()).every((t) => t.readyState === 'ended')).to.equal(true);
      expect(el.shadowRoot!.querySelector('video')).to.equal(null);
      expect(part(el, 'viewfinder').hidden).to.equal(true);
    });

    it('stops the camera on Escape', async () => {
      const el = await fixture<MsBeaconInput>(html`<ms-beacon-input></ms-beacon-input>`);
      const live = tracks(await startCamera(el));
      await sendKeys({press: 'Escape'});
      await waitUntil(() => live.every((t) => t.readyState === 'ended'), 'camera still on');
    });

    it('stops the camera when the element leaves the page', async () => {
      const el = await fixture<MsBeaconInput>(html`<ms-beacon-input></ms-beacon-input>`);
      const live = tracks(await startCamera(el));
      el.remove();
      expect(live.every((t) => t.readyState === 'ended')).to.equal(true);
    });

    it('reads a beacon shown to the camera, fills the field and turns the camera off', async () => {
      // The fake device shows a test pattern; a canvas stream shows the QR code instead,
      // small and centred, as qr-scanner only looks at the middle two thirds of the frame.
      const canvas = document.createElement('canvas');
      canvas.width = 640;
      canvas.height = 480;
      const context = canvas.getContext('2d')!;
      context.fillStyle = '#fff';
      context.fillRect(0, 0, 640, 480);
      const qr = await beaconQrCanvas(BEACON, 280);
      const stream = canvas.captureStream(10);
      // qr-scanner scans on requestVideoFrameCallback: a canvas stream makes a frame only
      // when painted, so keep painting as a real camera would.
      const painter = setInterval(() => context.drawImage(qr, 180, 100), 50);
      restore.push(() => clearInterval(painter));
      const fakeCamera = (async () => stream) as MediaDevices['getUserMedia'];
      restore.push(stub(navigator.mediaDevices, 'getUserMedia', fakeCamera));
      const el = await fixture<MsBeaconInput>(html`<ms-beacon-input></ms-beacon-input>`);
      const event = oneEvent(el, 'ms-beacon');
      part(el, 'scan-button').click();
      expect((await event).detail.beacon).to.equal(BEACON);
      await el.updateComplete;
      expect(part<HTMLInputElement>(el, 'input').value).to.equal(BEACON.toUpperCase());
      expect(stream.getTracks().every((t) => t.readyState === 'ended')).to.equal(true);
      expect(part(el, 'viewfinder').hidden).to.equal(true);
      await waitUntil(() => el.shadowRoot!.activeElement === part(el, 'input'), 'focus not on the field');
    });

    it('offers the file chooser when there is no camera, and scans the chosen image', async () => {
      restore.push(stub(QrScanner, 'hasCamera', async () => false));
      const el = await fixture<MsBeaconInput>(html`<ms-beacon-input></ms-beacon-input>`);
      part(el, 'scan-button').click();
      await waitUntil(() => el.shadowRoot!.querySelector('[part="file-input"]'), 'no file chooser');
      expect(shownIn(el, 'scan-message')).to.match(/^No camera is available/);
      expect(el.shadowRoot!.querySelector('video')).to.equal(null);
      const chooser = part<HTMLInputElement>(el, 'file-input');
      expect(chooser.type).to.equal('file');
      expect(chooser.accept).to.equal('image/*');
      expect(chooser.labels![0]).to.equal(part(el, 'file-label'));
      expect(shownIn(el, 'file-label')).to.equal('Choose an image');
      await expect(el).to.be.accessible();

      const files = new DataTransfer();
      files.items.add(await pngFile(await beaconQrCanvas(BEACON)));
      const event = oneEvent(el, 'ms-beacon');
      chooser.files = files.files;
      chooser.dispatchEvent(new Event('change', {bubbles: true}));
      expect((await event).detail.beacon).to.equal(BEACON);
    });

    it('offers the file chooser when permission is refused', async () => {
      const refuse = (async () => {
        throw new DOMException('Permission denied', 'NotAllowedError');
      }) as MediaDevices['getUserMedia'];
      restore.push(stub(navigator.mediaDevices, 'getUserMedia', refuse));
      const el = await fixture<MsBeaconInput>(html`<ms-beacon-input>
        <span slot="no-camera">Pas de caméra</span>
        <span slot="file-label">Choisir une image</span>
      </ms-beacon-input>`);
      part(el, 'scan-button').click();
      await waitUntil(() => el.shadowRoot!.querySelector('[part="file-input"]'), 'no file chooser');
      expect(shownIn(el, 'scan-message')).to.equal('Pas de caméra');
      expect(shownIn(el, 'file-label')).to.equal('Choisir une image');
      expect(el.shadowRoot!.querySelector('video')).to.equal(null);
      expect(part(el, 'viewfinder').hidden).to.equal(true);
      await aTimeout(0);
      expect(el.shadowRoot!.activeElement).to.equal(part(el, 'scan-button'));
    });
  });
});
