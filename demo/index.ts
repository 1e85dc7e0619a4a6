/**
 * The landing page: amounts written by the elements' formatter, and each app's
 * iframe as tall as its page, so nothing in it is clipped or scrolls inside.
 */
import {fillAmounts} from './lib/page.js';

/** Keeps an iframe as tall as its (same-origin) document, whatever that document does. */
function fitToContent(frame: HTMLIFrameElement): void {
  let observer: ResizeObserver | undefined;
  const fit = (): void => {
    // The page's own height, not scrollHeight: that never drops below the iframe's current height.
    const page = frame.contentDocument?.documentElement;
    if (page) frame.style.height = `${Math.ceil(page.getBoundingClientRect().height)}px`;
  };
  frame.addEventListener('load', () => {
    observer?.disconnect();
    const page = frame.contentDocument?.documentElement;
    if (!page) return;
    observer = new ResizeObserver(fit);
    observer.observe(page);
    fit();
  });
  // Already loaded before this script ran.
  if (frame.contentDocument?.readyState === 'complete') frame.dispatchEvent(new Event('load'));
}

fillAmounts();
for (const frame of document.querySelectorAll<HTMLIFrameElement>('.apps iframe')) fitToContent(frame);
