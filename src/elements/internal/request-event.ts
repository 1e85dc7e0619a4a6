/**
 * The page's side of a cancelable request event, modelled on FetchEvent:
 * `respondWith()` must be called while the event is being dispatched, and
 * only once; `preventDefault()` refuses; with neither, the default action
 * (a wallet backend's answer) if there is one, else a refusal.
 */
import {refusal} from '../../core/stack/answer-text.js';
import type {MsRequestDetail} from '../events.js';

/** What the stack handler throws; the text goes back to the consumer in NOTIFY_ERROR. */
export const REFUSED = 'the wallet declined';
export const UNANSWERED = 'no wallet answered';

export interface RequestDispatch<Request, Answer> {
  detail: MsRequestDetail<Request, Answer>;
  /** Call once dispatch has returned: the page's answer, the refusal, or `byDefault()`'s answer. */
  resolveAnswer(defaultPrevented: boolean, byDefault?: () => Promise<Answer>): Promise<Answer>;
}

export function requestDispatch<Request, Answer>(request: Request): RequestDispatch<Request, Answer> {
  let open = true;
  let answer: Promise<Answer> | undefined;
  const detail: MsRequestDetail<Request, Answer> = {
    request,
    respondWith(value: Answer | Promise<Answer>): void {
      if (!open) throw new DOMException('respondWith() must be called synchronously in the event listener', 'InvalidStateError');
      if (answer !== undefined) throw new DOMException('respondWith() was already called for this request', 'InvalidStateError');
      answer = Promise.resolve(value);
    },
  };
  const resolveAnswer = (defaultPrevented: boolean, byDefault?: () => Promise<Answer>): Promise<Answer> => {
    open = false;
    // An answer wins over preventDefault(): the promise given may already be
    // moving money, and telling the app "refused" while it pays would invite
    // paying twice. What the answer settles to is the truth.
    if (answer !== undefined) return answer;
    if (!defaultPrevented && byDefault !== undefined) return byDefault();
    // Nothing was attempted: a refusal the app may retry after.
    return Promise.reject(refusal(defaultPrevented ? REFUSED : UNANSWERED));
  };
  return {detail, resolveAnswer};
}
