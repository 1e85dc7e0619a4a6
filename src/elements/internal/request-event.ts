/**
 * The page's side of a cancelable request event, modelled on FetchEvent:
 * `respondWith()` must be called while the event is being dispatched, and
 * only once; `preventDefault()` refuses; with neither, the default action
 * (a wallet backend's answer) if there is one, else a refusal.
 *
 * A listener either answers or refuses, never both: whichever of
 * `respondWith()` and `preventDefault()` comes second throws an
 * InvalidStateError and changes nothing. Silently letting one win would
 * either tell the app "refused" while money moves (the answer may already be
 * paying), or pay although the page said no.
 */
import {refusal} from '../../core/stack/answer-text.js';
import type {MsRequestDetail} from '../events.js';

/** Refusal reasons, worded to follow the app's "the provider refused: ". */
export const REFUSED = 'the wallet\'s owner did not allow it';
export const UNANSWERED = 'nothing on the wallet\'s side answers this kind of request';

export interface RequestDispatch<Request, Answer> {
  /** Dispatch this (once), then call `resolveAnswer()`. */
  event: CustomEvent<MsRequestDetail<Request, Answer>>;
  /** Whether a listener called `respondWith()`. */
  readonly answered: boolean;
  /** Call once dispatch has returned: the page's answer, the refusal, or `byDefault()`'s answer. */
  resolveAnswer(byDefault?: () => Promise<Answer>): Promise<Answer>;
}

/** Events whose request has been answered (kept off the event, where a page could reach it). */
const answered = new WeakSet<Event>();

/** A request event whose `preventDefault()` refuses to undo an answer already given. */
class RequestEvent<D> extends CustomEvent<D> {
  override preventDefault(): void {
    if (answered.has(this)) {
      throw new DOMException('preventDefault() after respondWith(): a request is answered or refused, not both; the answer stands', 'InvalidStateError');
    }
    super.preventDefault();
  }
}

export function requestDispatch<Request, Answer>(type: string, request: Request): RequestDispatch<Request, Answer> {
  let open = true;
  let answer: Promise<Answer> | undefined;
  const detail: MsRequestDetail<Request, Answer> = {
    request,
    respondWith(value: Answer | Promise<Answer>): void {
      if (!open) throw new DOMException('respondWith() must be called synchronously in the event listener', 'InvalidStateError');
      if (answer !== undefined) throw new DOMException('respondWith() was already called for this request', 'InvalidStateError');
      if (event.defaultPrevented) {
        throw new DOMException('respondWith() after preventDefault(): a request is answered or refused, not both; it stays refused', 'InvalidStateError');
      }
      answer = Promise.resolve(value);
      answered.add(event);
    },
  };
  const event = new RequestEvent(type, {detail, bubbles: true, composed: true, cancelable: true});
  const resolveAnswer = (byDefault?: () => Promise<Answer>): Promise<Answer> => {
    open = false;
    // Both can only be set by going around preventDefault() (the legacy
    // `returnValue = false`): the answer may already be moving money, so it
    // stands, and what it settles to is the truth.
    if (answer !== undefined) return answer;
    if (!event.defaultPrevented && byDefault !== undefined) return byDefault();
    // Nothing was attempted: a refusal the app may retry after.
    return Promise.reject(refusal(event.defaultPrevented ? REFUSED : UNANSWERED));
  };
  return {
    event,
    resolveAnswer,
    get answered() {
      return answer !== undefined;
    },
  };
}
