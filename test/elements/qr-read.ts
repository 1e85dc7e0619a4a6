/** Reading an element's QR code back, as a phone's camera would, with qr-scanner. */
import QrScanner from 'qr-scanner';

/** Rasterises the QR SVG in `el`'s shadow root at `pixels` and decodes it. */
export async function readQr(el: Element, pixels = 400): Promise<string> {
  const svg = el.shadowRoot!.querySelector('svg')!.cloneNode(true) as SVGSVGElement;
  svg.setAttribute('width', String(pixels));
  svg.setAttribute('height', String(pixels));
  const url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(svg)], {type: 'image/svg+xml'}));
  try {
    return (await QrScanner.scanImage(url, {returnDetailedScanResult: true})).data;
  } finally {
    URL.revokeObjectURL(url);
  }
}
