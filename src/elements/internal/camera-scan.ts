/** Runs qr-scanner on the camera for an element, and always stops it when the element leaves the page. */
import type {ReactiveController, ReactiveControllerHost} from 'lit';
import type {Camera} from './camera-code.js';

type CameraCode = typeof import('./camera-code.js');

let cameraCode: Promise<CameraCode> | undefined;

/** camera-code.ts, and qr-scanner with it, on first use: pages that only show beacons never download them. */
export function loadCameraCode(): Promise<CameraCode> {
  cameraCode ??= import('./camera-code.js').catch((error: unknown) => {
    cameraCode = undefined; // a failed chunk load may succeed next time
    throw error;
  });
  return cameraCode;
}

/** `unavailable`: no camera, permission refused, or the camera failed to start. */
export type CameraState = 'idle' | 'starting' | 'scanning' | 'unavailable';

export class CameraScanController implements ReactiveController {
  state: CameraState = 'idle';
  private camera: Camera | undefined;
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
      const code = await loadCameraCode();
      const hasCamera = await code.hasCamera();
      if (attempt !== this.attempt) return;
      if (!hasCamera) throw new Error('no camera');
      this.camera = code.openCamera(frame, (text) => this.decoded(text));
      await this.camera.started;
    } catch {
      // No camera, NotAllowedError (permission refused), NotReadableError (camera busy), a chunk not loaded...
      if (attempt === this.attempt) this.release('unavailable');
      return;
    }
    if (attempt === this.attempt) this.setState('scanning');
  }

  stop(): void {
    if (this.state === 'starting' || this.state === 'scanning') this.release('idle');
  }

  private decoded(text: string): void {
    this.stop();
    this.onText(text);
  }

  /** Ends the stream at once. */
  private release(next: CameraState): void {
    this.attempt++;
    const camera = this.camera;
    this.camera = undefined;
    camera?.close();
    this.setState(next);
  }

  private setState(state: CameraState): void {
    this.state = state;
    this.host.requestUpdate();
  }
}
