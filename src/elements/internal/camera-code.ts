/**
 * What `<ms-beacon-input>` does with qr-scanner: run it on a `<video>` of the
 * camera in the element's frame (for `CameraScanController`), or read an
 * image. A lazy chunk, loaded on the first scan, so that pages that never
 * scan carry neither this nor qr-scanner (15.7 kB, plus a 44 kB worker chunk
 * it loads itself).
 */
import QrScanner from 'qr-scanner';

/** A camera being started, or scanning. */
export interface Camera {
  /** Resolves once the stream is on; rejects if it cannot be (no permission, camera busy…). */
  readonly started: Promise<void>;
  /** Ends the stream at once and takes the video away. */
  close(): void;
}

/** The text of the QR code in an image; rejects when there is none. */
export async function readImage(source: Parameters<typeof QrScanner.scanImage>[0]): Promise<string> {
  return (await QrScanner.scanImage(source, {returnDetailedScanResult: true})).data;
}

/** Whether the browser knows of a camera (without asking for it). */
export function hasCamera(): Promise<boolean> {
  return QrScanner.hasCamera();
}

/** Shows the camera in `frame` and calls `onText` with each code it reads. */
export function openCamera(frame: HTMLElement, onText: (text: string) => void): Camera {
  const video = document.createElement('video');
  video.setAttribute('part', 'video');
  video.setAttribute('aria-hidden', 'true'); // the live region says what is going on
  const scanner = new QrScanner(video, (result) => onText(result.data), {returnDetailedScanResult: true});
  // qr-scanner moves a video that `document.body.contains()` cannot see (any
  // video in a shadow root) to <body> and shrinks it to 0×0 (nimiq/qr-scanner#168).
  // Put it back; the styles undo the shrinking with !important.
  frame.append(video);
  return {
    started: scanner.start(),
    close(): void {
      // qr-scanner's own stop() keeps the camera on for 300 ms more.
      void scanner.pause(true);
      scanner.destroy(); // also closes its decoder worker
      video.remove();
    },
  };
}
