/** Runs qr-scanner on the camera for an element, and always stops it when the element leaves the page. */
import type {ReactiveController, ReactiveControllerHost} from 'lit';
import type QrScanner from 'qr-scanner';

let scannerModule: Promise<typeof QrScanner> | undefined;

/**
 * qr-scanner (15.7 KB, plus a 44 KB worker chunk it imports itself) is
 * loaded on first use, so pages that only show beacons never download it.
 */
export function loadQrScanner(): Promise<typeof QrScanner> {
  scannerModule ??= import('qr-scanner').then(
    (module) => module.default,
    (error: unknown) => {
      scannerModule = undefined; // a failed chunk load may succeed next time
      throw error;
    },
  );
  return scannerModule;
}

/** `unavailable`: no camera, permission refused, or the camera failed to start. */
export type CameraState = 'idle' | 'starting' | 'scanning' | 'unavailable';

export class CameraScanController implements ReactiveController {
  state: CameraState = 'idle';
  private scanner: QrScanner | undefined;
  private video: HTMLVideoElement | undefined;
  /** Bumped by every start and stop, so a slow start that was overtaken gives up. */
  private attempt = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly onText: (text: string) => void,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.stop();
  }

  /** Shows the camera in `frame` and scans until a code is read or `stop()`. */
  async start(frame: HTMLElement): Promise<void> {
    if (this.state === 'starting' || this.state === 'scanning') return;
    const attempt = ++this.attempt;
    this.setState('starting');
    try {
      const Scanner = await loadQrScanner();
      const hasCamera = await Scanner.hasCamera();
      if (attempt !== this.attempt) return;
      if (!hasCamera) throw new Error('no camera');
      await this.createScanner(Scanner, frame).start();
    } catch {
      // No camera, NotAllowedError (permission refused), NotReadableError (camera busy)...
      if (attempt === this.attempt) this.release('unavailable');
      return;
    }
    if (attempt === this.attempt) this.setState('scanning');
  }

  stop(): void {
    if (this.state === 'starting' || this.state === 'scanning') this.release('idle');
  }

  private createScanner(Scanner: typeof QrScanner, frame: HTMLElement): QrScanner {
    const video = document.createElement('video');
    video.setAttribute('part', 'video');
    video.setAttribute('aria-hidden', 'true'); // the live region says what is going on
    const scanner = new Scanner(video, (result) => this.decoded(result.data), {returnDetailedScanResult: true});
    // qr-scanner moves a video that `document.body.contains()` cannot see (any
    // video in a shadow root) to <body> and shrinks it to 0×0 (nimiq/qr-scanner#168).
    // Put it back; the styles undo the shrinking with !important.
    frame.append(video);
    this.scanner = scanner;
    this.video = video;
    return scanner;
  }

  private decoded(text: string): void {
    this.stop();
    this.onText(text);
  }

  /** Ends the stream at once: qr-scanner's own stop() keeps the camera on for 300 ms more. */
  private release(next: CameraState): void {
    this.attempt++;
    const scanner = this.scanner;
    this.scanner = undefined;
    if (scanner) {
      void scanner.pause(true);
      scanner.destroy(); // also closes its decoder worker
    }
    this.video?.remove();
    this.video = undefined;
    this.setState(next);
  }

  private setState(state: CameraState): void {
    this.state = state;
    this.host.requestUpdate();
  }
}
